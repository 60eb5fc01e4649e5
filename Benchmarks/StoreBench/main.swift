// StoreBench: figures for the store and the sync worker (not a test; prints numbers).
//
//   swift run -c release StoreBench [sync] [store] [--keep]
//
// 1. Sync against a FakeBatchAPI holding 10,000 batches of which 100 are in flight: API calls and
//    time of the first sync and of steady-state cycles (in-flight jobs newest, then scattered).
// 2. Upsert throughput: 100,000 new jobs, then 100,000 changed jobs, each in one transaction.
// 3. `batchtop jobs --json` over 100,000 jobs: the store's streaming export into /dev/null.
// With --keep the 100,000-job database is left in place and its path printed, to time the real command.
import BatchKit
import Foundation
import TestSupport

/// CPU seconds (user + system) this process has used; reported beside wall time because the
/// build machines are shared and wall time there measures the neighbours too.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Wall seconds of `body`; its CPU seconds go to `lastCPU`.
nonisolated(unsafe) var lastCPU = 0.0

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let cpu = cpuSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    lastCPU = cpuSeconds() - cpu
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func asyncSeconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fmt(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }

let keep = CommandLine.arguments.contains("--keep")
let sections = Set(CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("--") })
func wanted(_ name: String) -> Bool { sections.isEmpty || sections.contains(name) }
let root = try BatchFixtures.temporaryDirectory("storebench")
print("StoreBench (\(ProcessInfo.processInfo.activeProcessorCount) cores), scratch \(root.path)")

// MARK: 1. Sync cycles

func syncScenario(_ name: String, inFlight: (Int) -> Bool) async throws {
    let store = try BatchStore(url: root.appendingPathComponent("sync-\(name).sqlite"))
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
    let batches = (1...10_000).map { n in
        inFlight(n) ? BatchFixtures.batch(n, status: .inProgress, total: 1000, completed: 0)
                    : BatchFixtures.batch(n, status: n % 7 == 0 ? .failed : .completed, total: 1000, completed: 1000)
    }
    let active = batches.filter { !$0.status.isTerminal }.map(\.id)
    let api = FakeBatchAPI(batches: batches, clock: clock)
    let cycle = SyncCycle(api: api, store: store, clock: clock, claimant: LeaseClaimant(holderID: "bench", pid: 1, host: "bench"))
    var first: SyncReport?
    let firstTime = try await asyncSeconds { first = try await cycle.runOnce() }
    print("sync[\(name)] first sync: \(first!.apiCalls) API calls (\(first!.listPages) pages), \(first!.changes.newJobs.count) jobs, \(fmt(firstTime)) s")
    var calls = 0, time = 0.0, changed = 0
    let cycles = 20
    for c in 1...cycles {
        // A tenth of the in-flight jobs make progress each cycle.
        for id in active.enumerated().filter({ $0.offset % 10 == c % 10 }).map(\.element) {
            api.update(id) { $0.requestCounts.completed = min(1000, $0.requestCounts.completed + 50) }
        }
        clock.advance(by: 5)
        var report: SyncReport?
        time += try await asyncSeconds { report = try await cycle.runOnce() }
        calls += report!.apiCalls
        changed += report!.changes.progressChanges.count
    }
    print("sync[\(name)] steady state: \(fmt(Double(calls) / Double(cycles), 1)) API calls/cycle, \(fmt(time / Double(cycles) * 1000, 1)) ms/cycle, \(changed / cycles) progress changes/cycle (\(active.count) in flight of 10,000)")
}

if wanted("sync") {
    try await syncScenario("newest-in-flight") { $0 > 9_900 }
    try await syncScenario("recent-scattered-in-flight") { $0 > 8_000 && $0 % 20 == 3 }
    try await syncScenario("scattered-in-flight") { $0 % 100 == 37 }
}

if wanted("store") {
    // MARK: 2. Upsert throughput

    let big = try BatchStore(url: root.appendingPathComponent("jobs-100k.sqlite"))
    let fresh = (1...100_000).map { n in
        var b = BatchFixtures.batch(n, status: n % 10 == 0 ? .inProgress : .completed, total: 500, completed: n % 10 == 0 ? 100 : 500,
                                    workload: ["nightly-eval", "support-summaries", "backfill-embeddings"][n % 3],
                                    outputFileID: "file-out\(n)")
        b.usage = TokenUsage(inputTokens: 120_000, cachedInputTokens: 4_000, outputTokens: 30_000)
        b.metadata[MetadataKey.jobID] = "bt-\(n)"
        return b
    }
    var inserted = CycleChanges()
    let insertTime = try seconds { inserted = try big.applyCycle(fresh, observedAt: 1_767_200_000) }
    print("upsert: \(inserted.newJobs.count) new jobs in \(fmt(insertTime)) s wall, \(fmt(lastCPU)) s CPU = \(Int(Double(fresh.count) / insertTime)) jobs/s wall, \(Int(Double(fresh.count) / lastCPU)) jobs/s CPU (target >= 50,000)")
    let changedBatches = fresh.map { b -> Batch in
        var c = b
        c.requestCounts.completed = min(c.requestCounts.total, c.requestCounts.completed + 1)
        c.requestCounts.failed += 1
        return c
    }
    var updated = CycleChanges()
    let updateTime = try seconds { updated = try big.applyCycle(changedBatches, observedAt: 1_767_200_005) }
    print("upsert: \(updated.progressChanges.count) changed jobs in \(fmt(updateTime)) s wall, \(fmt(lastCPU)) s CPU = \(Int(Double(fresh.count) / updateTime)) jobs/s wall, \(Int(Double(fresh.count) / lastCPU)) jobs/s CPU")
    var unchanged = CycleChanges()
    let sameTime = try seconds { unchanged = try big.applyCycle(changedBatches, observedAt: 1_767_200_010) }
    print("upsert: \(unchanged.unchangedCount) unchanged jobs in \(fmt(sameTime)) s wall, \(fmt(lastCPU)) s CPU = \(Int(Double(fresh.count) / sameTime)) jobs/s wall")

    // MARK: 3. jobs --json over 100,000 jobs

    let devNull = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/null"))
    var bytes = 0
    var best = Double.infinity
    var bestCPU = Double.infinity
    for _ in 1...3 {
        bytes = 0
        let t = try seconds {
            try big.writeJobsJSON { chunk in
                bytes += chunk.count
                devNull.write(chunk)
            }
        }
        best = min(best, t)
        bestCPU = min(bestCPU, lastCPU)
    }
    print("jobs --json export: \(try big.jobCount()) jobs, \(bytes / 1_000_000) MB in \(fmt(best)) s wall, \(fmt(bestCPU)) s CPU (best of 3; target < 0.5 s)")
    var rows = 0
    let tableTime = try seconds { rows = try big.jobSummaries().count }
    print("jobs table query: \(rows) rows in \(fmt(tableTime)) s wall, \(fmt(lastCPU)) s CPU")
    var decoded = 0
    let decodeTime = try seconds { decoded = try big.jobs().count }
    print("jobs() full decode: \(decoded) jobs in \(fmt(decodeTime)) s wall, \(fmt(lastCPU)) s CPU")
    var active = 0
    let activeTime = try seconds { active = try big.nonTerminalJobs().count }
    print("nonTerminalJobs(): \(active) jobs in \(fmt(activeTime)) s wall, \(fmt(lastCPU)) s CPU")

    if keep {
        print("kept \(big.url.path); time the command with:")
        print("  time swift run -c release batchtop jobs --json --db \(big.url.path) > /dev/null")
    }
}
if !keep { try? FileManager.default.removeItem(at: root) }
