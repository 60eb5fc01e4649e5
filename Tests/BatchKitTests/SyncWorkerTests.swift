import Foundation
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

    @Test func workerPollsPostsToTheMailboxAndNeverOverlapsRequests() async throws {
        let dir = try BatchFixtures.temporaryDirectory("worker")
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
}
