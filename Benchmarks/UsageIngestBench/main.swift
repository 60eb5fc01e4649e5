// Measures UsageIngest on a batch output file and prints throughput, totals and peak memory.
// Usage: UsageIngestBench <file.jsonl> [--repeat N]   (run by Benchmarks/usage-ingest.sh)
import BatchKit
import Foundation

let args = CommandLine.arguments.dropFirst()
guard let path = args.first else {
    FileHandle.standardError.write(Data("usage: UsageIngestBench <file.jsonl> [--repeat N] [--chunk-kib K]\n".utf8))
    exit(2)
}
var repeats = 1
var chunkBytes = 1 << 20
if let r = args.firstIndex(of: "--chunk-kib"), args.index(after: r) < args.endIndex, let n = Int(args[args.index(after: r)]) {
    chunkBytes = max(1, n) << 10
}
if let r = args.firstIndex(of: "--repeat"), args.index(after: r) < args.endIndex, let n = Int(args[args.index(after: r)]) {
    repeats = max(1, n)
}

/// Peak resident set size (VmHWM) in kB, from /proc; nil where /proc is absent.
func peakRSSKiB() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// CPU time of this thread in seconds: unlike wall time it does not count waiting for a busy CPU.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

var best = Duration.seconds(1_000_000)
var bestCPU = Double.infinity
var report = UsageIngestReport()
let clock = ContinuousClock()
for _ in 0..<repeats {
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    do {
        report = try UsageIngest.read(fileAt: path, chunkBytes: chunkBytes)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
    best = min(best, clock.now - start)
    bestCPU = min(bestCPU, threadCPUSeconds() - cpuStart)
}
let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
let mb = Double(report.bytes) / 1_000_000
let total = report.totalUsage
print(String(format: "swift UsageIngest: %.1f MB in %.3f s wall = %.0f MB/s; %.3f s CPU = %.0f MB/s (best of %d, %d KiB chunks)",
             mb, seconds, mb / seconds, bestCPU, mb / bestCPU, repeats, chunkBytes >> 10))
print("  lines \(report.lines): succeeded \(report.succeeded), failed \(report.failed), unreadable \(report.unreadable)")
print("  tokens: input \(total.inputTokens) (cached \(total.cachedInputTokens)), output \(total.outputTokens) (reasoning \(total.reasoningTokens))")
print("TOTALS input=\(total.inputTokens) cached=\(total.cachedInputTokens) output=\(total.outputTokens) reasoning=\(total.reasoningTokens) succeeded=\(report.succeeded) failed=\(report.failed) unreadable=\(report.unreadable)")
print("  shapes: " + report.shapes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: " "))
if let prices = try? PriceTable.shippedDefault() {
    var cost = MicroDollars.zero
    var unpriced: [String] = []
    for (model, usage) in report.tokensByModel.sorted(by: { $0.key < $1.key }) {
        if let c = prices.price(usage, model: model, lane: .batch).cost { cost += c.total } else { unpriced.append(model) }
    }
    let saved = Savings.of(batchUsage: report.tokensByModel, prices: prices).saved
    print("  batch cost \(cost) (saved \(saved) vs real-time)" + (unpriced.isEmpty ? "" : ", unpriced: \(unpriced.joined(separator: ", "))"))
}
if let kib = peakRSSKiB() {
    print(String(format: "  peak RSS (VmHWM): %.1f MB", Double(kib) / 1024))
}
