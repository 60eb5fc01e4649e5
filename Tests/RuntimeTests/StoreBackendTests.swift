import BatchKit
import Dashboard
import Foundation
import Testing
import TestSupport
@testable import batchtop

/// The real backend over a real database written by "another process" (no worker here): the first
/// read posts every job, later reads only the jobs that moved.
@Suite struct StoreBackendTests {
    /// Waits (without blocking a thread) until the mailbox has posted something `match` accepts.
    func next(_ box: DashboardMailbox, timeout: TimeInterval = 20, _ match: (Action) -> Bool) async throws -> Action {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = box.drain().first(where: match) { return found }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw CancellationError()
    }

    @Test func firstReadPostsEveryJobThenOnlyWhatMoved() async throws {
        let dir = try BatchFixtures.temporaryDirectory("backend")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"), profile: .resident)
        var usage = BatchFixtures.batch(2, status: .completed, total: 10, completed: 10)
        usage.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0)
        try store.applyCycle([BatchFixtures.batch(1, status: .inProgress, total: 10), usage], observedAt: 1_000)

        let reader = SnapshotReader(
            store: store, prices: try PriceTable.shippedDefault(), spendSettings: SpendSettings(), clock: ManualClock(),
            operations: nil, pump: nil, timeScale: 1)
        let backend = StoreBackend(reader: reader, worker: nil, afterCycle: nil, performer: nil)
        let box = DashboardMailbox()
        backend.start(mailbox: box)
        defer { backend.stop() }

        let first = try await next(box) { if case .jobsLoaded = $0 { return true } else { return false } }
        guard case .jobsLoaded(let rows) = first else { return }
        #expect(rows.map(\.id).sorted() == ["batch_00000001", "batch_00000002"])
        // gpt-4o-mini batch input is $0.075 per million tokens.
        #expect(rows.first { $0.id == "batch_00000002" }?.costSoFar == MicroDollars(75_000))

        try store.applyCycle([BatchFixtures.batch(1, status: .inProgress, total: 10, completed: 6)], observedAt: 2_000)
        let second = try await next(box) { if case .jobsChanged = $0 { return true } else { return false } }
        guard case .jobsChanged(let changed) = second else { return }
        #expect(changed.map(\.id) == ["batch_00000001"], "only the job that moved")
        #expect(changed.first?.counts.completed == 6)
    }
}
