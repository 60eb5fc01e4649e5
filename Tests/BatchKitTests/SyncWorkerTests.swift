import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

@Suite struct SyncWorkerTests {
    /// Waits (without asserting on time) until the mailbox yields an event matching `match`.
    func waitFor(_ box: Mailbox<SyncEvent>, _ match: (SyncEvent) -> Bool) async throws -> SyncEvent? {
        for _ in 0..<1000 {
            for event in box.drain() where match(event) { return event }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        return nil
    }

    /// A worker made but never started (as `--once` does) must be released without trapping.
    @Test func aWorkerThatNeverStartedIsReleasedCleanly() throws {
        let dir = try BatchFixtures.temporaryDirectory("unstarted")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("db.sqlite"))
        var worker: SyncWorker? = SyncWorker(cycle: SyncCycle(
            api: FakeBatchAPI(batches: []), store: store, clock: SystemClock(),
            claimant: LeaseClaimant(holderID: "u", pid: 1, host: "t")))
        #expect(worker?.isRunning == false)
        worker = nil
        #expect(worker == nil)
    }

    /// The database refuses every write (triggers made by another connection): the worker's own count
    /// must still say how many cycles failed in a row, and its last failure must reach the header.
    @Test func failuresCountUpEvenWhenTheDatabaseCannotRecordThem() async throws {
        let dir = try BatchFixtures.temporaryDirectory("worker-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("db.sqlite")
        let store = try BatchStore(url: url)
        try await DatabaseQueue(path: url.path).write { db in
            for (table, event) in [("lease", "INSERT"), ("lease", "UPDATE"), ("sync_state", "UPDATE")] {
                try db.execute(sql: """
                    CREATE TRIGGER refuse_\(table)_\(event.lowercased()) BEFORE \(event) ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'writes refused'); END
                    """)
            }
        }
        let cycle = SyncCycle(api: FakeBatchAPI(batches: []), store: store, clock: SystemClock(),
                              claimant: LeaseClaimant(holderID: "w", pid: 1, host: "t"))
        let worker = SyncWorker(cycle: cycle, policy: SyncPolicy(backoffBase: 0.01, backoffCap: 0.01, jitter: { 0 }))
        worker.start()
        defer { worker.stop() }
        var counts: [Int] = []
        for _ in 0..<3 {
            let event = try await waitFor(worker.mailbox) { if case .cycleFailed = $0 { return true }; return false }
            guard case let .cycleFailed(message, failures, _) = event else { Issue.record("no failure event"); return }
            #expect(message.contains("writes refused"))
            counts.append(failures)
        }
        #expect(counts == [1, 2, 3])
        let failure = try #require(worker.lastFailure)
        #expect(failure.consecutiveFailures >= 3)
        #expect(try store.freshness().lastErrorText == nil, "the database recorded nothing")
        let shown = try store.freshness().merging(workerFailure: failure)
        #expect(shown.isFailing)
        #expect(shown.lastErrorText?.contains("writes refused") == true)
        #expect(shown.consecutiveFailures == failure.consecutiveFailures)
    }

    @Test func workerPollsPostsToTheMailboxAndNeverOverlapsRequests() async throws {
        let dir = try BatchFixtures.temporaryDirectory("worker")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("db.sqlite"))
        let api = FakeBatchAPI(batches: (1...300).map { BatchFixtures.batch($0, status: $0 > 290 ? .inProgress : .completed) })
        api.failNext(1, .list, with: FakeAPIError(status: 503, message: "unavailable", retryAfter: 0.01))
        let clock = SystemClock()
        let cycle = SyncCycle(api: api, store: store, clock: clock, claimant: LeaseClaimant(holderID: "w", pid: 1, host: "t"))
        let worker = SyncWorker(cycle: cycle, policy: SyncPolicy(activeInterval: 0.1, idleInterval: 0.1, backoffBase: 0.1, backoffCap: 0.1, jitter: { 0 }))
        worker.start()
        defer { worker.stop() }

        let failed = try await waitFor(worker.mailbox) { if case .cycleFailed = $0 { return true }; return false }
        guard case let .cycleFailed(message, failures, _) = failed else { Issue.record("no failure event"); return }
        #expect(message == "503 unavailable")
        #expect(failures == 1)

        let done = try await waitFor(worker.mailbox) { if case .cycleCompleted = $0 { return true }; return false }
        guard case let .cycleCompleted(report, _) = done else { Issue.record("no completion event"); return }
        #expect(report.changes.newJobs.count == 300)
        #expect(report.changes.activeJobCount == 10)

        worker.pause()
        _ = try await waitFor(worker.mailbox) { $0 == .paused }
        worker.pollNow()
        let polled = try await waitFor(worker.mailbox) { if case .cycleCompleted = $0 { return true }; return false }
        #expect(polled != nil)
        #expect(api.maxConcurrentRequests == 1)
        let freshness = try store.freshness()
        #expect(freshness.consecutiveFailures == 0)
        #expect(freshness.nextAttemptAt != nil)
        #expect(freshness.lease?.holderID == "w")
    }

    @Test func twoWorkersOnOneDatabaseMakeOnlyOnePollerAndStopHandsTheLeaseOver() async throws {
        let dir = try BatchFixtures.temporaryDirectory("worker2")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("db.sqlite")
        let batches = (1...50).map { BatchFixtures.batch($0, status: .inProgress) }
        let apiA = FakeBatchAPI(batches: batches), apiB = FakeBatchAPI(batches: batches)
        let policy = SyncPolicy(activeInterval: 0.05, idleInterval: 0.05, jitter: { 0 })
        let a = SyncWorker(cycle: SyncCycle(api: apiA, store: try BatchStore(url: url), clock: SystemClock(),
                                            claimant: LeaseClaimant(holderID: "a", pid: 1, host: "t")), policy: policy)
        let b = SyncWorker(cycle: SyncCycle(api: apiB, store: try BatchStore(url: url), clock: SystemClock(),
                                            claimant: LeaseClaimant(holderID: "b", pid: 2, host: "t")), policy: policy)
        a.start()
        _ = try await waitFor(a.mailbox) { if case .cycleCompleted(let r, _) = $0 { return r.role == .poller }; return false }
        b.start()
        let standby = try await waitFor(b.mailbox) { if case .cycleCompleted(let r, _) = $0, case .standby = r.role { return true }; return false }
        #expect(standby != nil)
        // While a polls, b reads the same data and never calls its API.
        for _ in 0..<3 { b.pollNow(); _ = try await waitFor(b.mailbox) { if case .cycleCompleted = $0 { return true }; return false } }
        #expect(apiB.totalCalls == 0)
        #expect(apiA.totalCalls > 0)

        a.stop()
        let takeover = try await waitFor(b.mailbox) { if case .cycleCompleted(let r, _) = $0 { return r.role == .poller }; return false }
        #expect(takeover != nil)
        #expect(apiB.totalCalls > 0)
        b.stop()
    }
}
