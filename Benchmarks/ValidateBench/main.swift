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

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let arguments = CommandLine.arguments.dropFirst()
guard let path = arguments.first else {
    print("usage: ValidateBench FILE.jsonl [RUNS] [--write-chunk DIR]")
    exit(2)
}
let runs = arguments.dropFirst().first.flatMap { Int($0) } ?? 3
let validator = InputFileValidator()
var summary = InputFileSummary(path: path)
var best = Double.infinity
do {
    for run in 1...max(1, runs) {
        let t = try seconds { summary = try validator.validate(path: path) }
        best = min(best, t)
        let mbps = Double(summary.bytes) / 1e6 / t
        print(String(format: "run %d: validated %.1f MB, %d requests in %.3f s = %.0f MB/s", run, Double(summary.bytes) / 1e6, summary.requests, t, mbps))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
print("valid: \(summary.isValid), problems: \(summary.problemCount), endpoint: \(summary.endpoint ?? "-"), model: \(summary.model ?? "-"), \(summary.estimatedInputTokens)")
for problem in summary.problems.prefix(5) { print("  \(problem)") }
print(String(format: "best: %.0f MB/s", Double(summary.bytes) / 1e6 / best))
if summary.isValid, let plan = try? ChunkPlanner().plan(summary) {
    print("chunks (default limits): \(plan.count), requests per chunk: \(plan.map(\.requestCount))")
}
print("peak RSS (VmHWM): \(peakRSSKilobytes().map { String(format: "%.1f MB", Double($0) / 1024) } ?? "unknown")")
