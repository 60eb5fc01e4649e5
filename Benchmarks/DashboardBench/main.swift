// DashboardBench: the cost of one dashboard frame (reduce + render + diff) at 200x60 with
// 100,000 jobs in state, plus the one-off costs around it. Prints figures; asserts nothing.
//
//   swift run -c release DashboardBench [jobs] [frames]
import BatchKit
import Dashboard
import Foundation

let jobCount = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let frames = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 3_000 : 3_000
let now: Int64 = 1_767_225_600
let statuses: [BatchStatus] = [.inProgress, .inProgress, .completed, .completed, .completed, .failed, .validating, .finalizing, .expired, .cancelled]
let workloads = ["nightly-eval", "support-summaries", "bulk-embed", "backfill-2025", "翻訳-ジョブ", "doc-classify"]

func makeJobs(_ n: Int) -> [JobRow] {
    (0..<n).map { i in
        let status = statuses[i % statuses.count]
        let total = 100 + (i * 37) % 10_000
        let done = status.isTerminal ? total : (i * 13) % total
        let b = Batch(
            id: "batch_\(String(i, radix: 16))", model: i % 3 == 0 ? "gpt-4o" : "gpt-4o-mini", status: status,
            createdAt: now - Int64(i * 7), inProgressAt: now - Int64(i * 7) + 20, expiresAt: now - Int64(i * 7) + 86_400,
            requestCounts: RequestCounts(total: total, completed: done - done / 50, failed: done / 50),
            metadata: ["workload": workloads[i % workloads.count]])
        return JobRow(job: Job(batch: b, lane: i % 11 == 0 ? .realtime : .batch, firstSeenAt: b.createdAt, lastPolledAt: now), costSoFar: MicroDollars(Int64(i % 5_000) * 1_000))
    }
}

func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15 }

func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))] }

func peakMemoryMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return .nan }
    let kb = Double(line.split(separator: " ").dropFirst().first ?? "") ?? .nan
    return kb / 1024
}

let clock = ContinuousClock()
let palette = BuiltinThemes.default.palette(depth: .ansi256)
let jobs = makeJobs(jobCount)
var state = AppState(context: DashboardContext(organization: "bench", baseURL: "http://127.0.0.1/v1"), width: 200, height: 60, now: now)
_ = reduce(&state, .freshness(Freshness(lastSuccessAt: now, interval: 5)))

// One-off: loading the jobs (index build, sort) and the first frame; the runtime's time to first
// frame on a store this size is this plus the store read.
let firstFrame = clock.measure {
    _ = reduce(&state, .jobsLoaded(jobs))
    _ = render(state, palette: palette)
}
var previous = render(state, palette: palette)

// Steady state: the keys an operator presses and the 1 s tick, each as reduce + render + diff.
let script: [Action] = [.key(.down), .key(.down), .key(.pageDown), .key(.up), .tick(now: now + 1), .key(.char("j")), .key(.pageUp), .key(.char("k"))]
var samples: [Double] = []
samples.reserveCapacity(frames)
var tickSamples: [Double] = []
var cellsChanged = 0
for i in 0..<frames {
    var action = script[i % script.count]
    if case .tick = action { action = .tick(now: now + Int64(i)) }
    let t = clock.measure {
        _ = reduce(&state, action)
        let screen = render(state, palette: palette)
        cellsChanged += screen.diff(from: previous).reduce(0) { $0 + $1.cells.count }
        previous = screen
    }
    samples.append(ms(t))
    if case .tick = action { tickSamples.append(ms(t)) }
}
samples.sort()
tickSamples.sort()

// One-off interactions that touch every job.
let filterKey = clock.measure {
    _ = reduce(&state, .key(.char("/")))
    for ch in "nightly" { _ = reduce(&state, .key(.char(ch))) }
}
let filterFirstKey: Duration = {
    var s = state
    _ = reduce(&s, .key(.escape))
    _ = reduce(&s, .key(.char("/")))
    return clock.measure { _ = reduce(&s, .key(.char("n"))) }
}()
_ = reduce(&state, .key(.escape))
let sortChange = clock.measure { _ = reduce(&state, .key(.char("s"))) }
let reload = clock.measure { _ = reduce(&state, .jobsLoaded(jobs)) }
// What a poll costs in the real dashboard: the jobs the cycle changed (here 100, every 1,000th), as a delta.
let delta: [JobRow] = stride(from: 0, to: jobs.count, by: 1_000).map { i in
    var row = jobs[i]
    row.counts.completed += 1
    return row
}
let changes = clock.measure { _ = reduce(&state, .jobsChanged(delta)) }

print("DashboardBench: \(jobCount) jobs, 200x60, \(frames) frames (reduce + render + diff)")
print(String(format: "  frame median  %.3f ms", percentile(samples, 0.5)))
print(String(format: "  frame p99     %.3f ms", percentile(samples, 0.99)))
print(String(format: "  frame max     %.3f ms", samples.last ?? .nan))
print(String(format: "  tick frame median %.3f ms -> %.3f%% of a core at 1 tick/s (render cost only)", percentile(tickSamples, 0.5), percentile(tickSamples, 0.5) / 10))
print(String(format: "  cells redrawn per frame (mean) %.0f of %d", Double(cellsChanged) / Double(frames), 200 * 60))
print(String(format: "  load %d jobs + first frame  %.1f ms", jobCount, ms(firstFrame)))
print(String(format: "  reload (whole list of %d jobs)   %.1f ms", jobCount, ms(reload)))
print(String(format: "  poll with %d changed jobs (delta)  %.1f ms", delta.count, ms(changes)))
print(String(format: "  filter first key ('n', full scan)  %.1f ms", ms(filterFirstKey)))
print(String(format: "  filter '/nightly' typed (8 keys)    %.1f ms", ms(filterKey)))
print(String(format: "  sort change (full re-sort)          %.1f ms", ms(sortChange)))
print(String(format: "  peak memory (VmHWM)  %.1f MB", peakMemoryMB()))
