// Validation throughput benchmark: validates a JSONL batch input file, plans its chunks and prints
// MB/s and peak RSS (VmHWM). Run through Benchmarks/validate.sh, which generates the input.
import BatchKit
import Foundation

/// Peak resident set size in kB from /proc/self/status (Linux); nil elsewhere.
func peakRSSKilobytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// Wall-clock and process CPU seconds of `body`; CPU time is the steadier figure on a shared machine.
func seconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuNow()
    try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuNow() - cpuStart)
}

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first else {
    print("usage: ValidateBench FILE.jsonl [RUNS] [CHUNK_DIR]")
    exit(2)
}
let runs = arguments.dropFirst().first.flatMap { Int($0) } ?? 3
let validator = InputFileValidator()
var summary = InputFileSummary(path: path)
var best = Double.infinity
var bestCPU = Double.infinity
var peakAfterFirstRun: Int?
do {
    for run in 1...max(1, runs) {
        summary = InputFileSummary(path: path)  // release the previous run's index first
        let t = try seconds { summary = try validator.validate(path: path) }
        best = min(best, t.wall)
        bestCPU = min(bestCPU, t.cpu)
        if run == 1 { peakAfterFirstRun = peakRSSKilobytes() }
        let mb = Double(summary.bytes) / 1e6
        print(String(format: "run %d: validated %.1f MB, %d requests in %.3f s wall (%.0f MB/s), %.3f s CPU (%.0f MB/s)",
                     run, mb, summary.requests, t.wall, mb / t.wall, t.cpu, mb / t.cpu))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
print("valid: \(summary.isValid), problems: \(summary.problemCount), endpoint: \(summary.endpoint ?? "-"), model: \(summary.model ?? "-"), \(summary.estimatedInputTokens)")
for problem in summary.problems.prefix(5) { print("  \(problem)") }
print(String(format: "best: %.0f MB/s wall, %.0f MB/s CPU", Double(summary.bytes) / 1e6 / best, Double(summary.bytes) / 1e6 / bestCPU))
print("peak RSS (VmHWM) after one validation: \(peakAfterFirstRun.map { String(format: "%.1f MB", Double($0) / 1024) } ?? "unknown")")
if summary.isValid, let plan = try? ChunkPlanner().plan(summary) {
    print("chunks (default limits): \(plan.count), requests per chunk: \(plan.map(\.requestCount))")
    if let directory = arguments.dropFirst(2).first {
        // Write every chunk as its own upload file, streamed, and time it.
        var written: Int64 = 0
        do {
            let t = try seconds {
                for chunk in plan {
                    written += try ChunkWriter().write(chunk, of: summary, to: "\(directory)/chunk-\(chunk.index).jsonl")
                }
            }
            print(String(format: "wrote %d chunk files, %.1f MB in %.3f s wall (%.0f MB/s)", plan.count, Double(written) / 1e6, t.wall, Double(written) / 1e6 / t.wall))
        } catch {
            print("error writing chunks: \(error)")
        }
    }
}
print("peak RSS (VmHWM) at exit: \(peakRSSKilobytes().map { String(format: "%.1f MB", Double($0) / 1024) } ?? "unknown")")
