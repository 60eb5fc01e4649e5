import BatchKit
import Dashboard
import Foundation
import GRDB
import Testing
import TestSupport
@testable import batchtop

/// The real backend over a real database written by "another process" (no worker here): the first
/// read posts every job, later reads only the jobs that moved.
@Suite struct StoreBackendTests {
    /// The snapshot reader over `store` with the shipped prices and no operations or queue pump.
    static func reader(_ store: BatchStore) throws -> SnapshotReader {
        SnapshotReader(
            store: store, prices: try PriceTable.shippedDefault(), spendSettings: SpendSettings(), clock: ManualClock(),
            operations: nil, pump: nil, timeScale: 1)
    }

    struct NothingPosted: Error, CustomStringConvertible {
        let seconds: TimeInterval
        var description: String { "the backend posted nothing matching within \(Int(seconds)) s" }
    }

    /// Waits (without blocking a thread) until the mailbox has posted something `match` accepts.
    func next(_ box: DashboardMailbox, timeout: TimeInterval = 20, _ match: (Action) -> Bool) async throws -> Action {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = box.drain().first(where: match) { return found }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw NothingPosted(seconds: timeout)
    }

    @Test func firstReadPostsEveryJobThenOnlyWhatMoved() async throws {
        let dir = try BatchFixtures.temporaryDirectory("backend")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"), profile: .resident)
        var usage = BatchFixtures.batch(2, status: .completed, total: 10, completed: 10)
        usage.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0)
        try store.applyCycle([BatchFixtures.batch(1, status: .inProgress, total: 10), usage], observedAt: 1_000)

        let reader = try Self.reader(store)
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

    /// The header must say why polling fails even when the failure is the database refusing the write
    /// that would record it (the worker's own account is merged in).
    @Test func theHeaderShowsAFailureTheDatabaseCouldNotRecord() async throws {
        let dir = try BatchFixtures.temporaryDirectory("backend-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("b.sqlite")
        let store = try BatchStore(url: url, profile: .resident)
        try await DatabaseQueue(path: url.path).write { db in
            for (table, event) in [("lease", "INSERT"), ("lease", "UPDATE"), ("sync_state", "UPDATE")] {
                try db.execute(sql: "CREATE TRIGGER refuse_\(table)_\(event) BEFORE \(event) ON \(table) BEGIN SELECT RAISE(ABORT, 'writes refused'); END")
            }
        }
        let worker = SyncWorker(
            cycle: SyncCycle(api: FakeBatchAPI(batches: []), store: store, clock: SystemClock(), claimant: LeaseClaimant(holderID: "d", pid: 1, host: "t")),
            policy: SyncPolicy(backoffBase: 0.05, backoffCap: 0.05, jitter: { 0 }))
        let backend = StoreBackend(reader: try Self.reader(store), worker: worker, afterCycle: nil, performer: nil)
        let box = DashboardMailbox()
        backend.start(mailbox: box)
        defer { backend.stop() }
        let shown = try await next(box) {
            if case .freshness(let f) = $0 { return f.lastError?.contains("writes refused") == true } else { return false }
        }
        guard case .freshness(let f) = shown else { return }
        #expect(f.nextRetryAt != nil)
    }

    @Test func detailGroupsRequestErrorsFromTheDownloadedErrorFile() throws {
        let dir = try BatchFixtures.temporaryDirectory("detail-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"), profile: .resident)
        let reader = try Self.reader(store)
        var done = BatchFixtures.batch(1, status: .completed, total: 4, completed: 1, failed: 3, errorFileID: "file-err")
        done.completedAt = 1_767_000_500
        try store.applyCycle([done, BatchFixtures.batch(2, status: .inProgress)], observedAt: 1_000)

        // Not downloaded yet: say so rather than "none".
        var detail = try #require(try reader.detail(jobID: done.id))
        #expect(detail.requestErrors.isEmpty && detail.requestErrorsNote == "error file file-err not downloaded yet")
        #expect(try reader.detail(jobID: "batch_00000002")?.requestErrorsNote?.hasPrefix("none so far") == true)

        let path = dir.appendingPathComponent("err.jsonl")
        try Data([
            #"{"id":"a","custom_id":"r1","response":{"status_code":429,"body":{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}},"error":null}"#,
            #"{"id":"b","custom_id":"r2","response":null,"error":{"code":"batch_expired","message":"expired before it ran"}}"#,
            #"{"id":"c","custom_id":"r3","response":null,"error":{"code":"batch_expired","message":"expired before it ran"}}"#,
            "{broken",
        ].joined(separator: "\n").utf8).write(to: path)
        try store.recordFile(JobFileRecord(jobID: done.id, kind: .error, fileID: "file-err", localPath: path.path, status: .downloaded))
        detail = try #require(try reader.detail(jobID: done.id))
        #expect(detail.requestErrors == [
            ErrorGroup(code: "batch_expired", count: 2, example: "expired before it ran"),
            ErrorGroup(code: "rate_limit_exceeded", count: 1, example: "Rate limit reached"),
        ])
        #expect(detail.requestErrorsNote?.hasPrefix("1 line(s) of the error file could not be read") == true)

        // Gone from disk: the reason, not an empty list.
        try FileManager.default.removeItem(at: path)
        #expect(try reader.detail(jobID: done.id)?.requestErrorsNote?.hasPrefix("cannot read the error file") == true)
    }

    @Test func aCycleThatOnlyAddsUsageStillUpdatesTheRowPricedAtBatchRates() async throws {
        let dir = try BatchFixtures.temporaryDirectory("backend-worker")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"), profile: .resident)
        // Routed to the real-time lane by metadata, yet a provider batch: billed at batch rates.
        var batch = BatchFixtures.batch(1, status: .inProgress, total: 10, completed: 4)
        batch.metadata["batchtop_lane"] = "realtime"
        let api = FakeBatchAPI(batches: [batch])
        let cycle = SyncCycle(api: api, store: store, clock: SystemClock(), claimant: LeaseClaimant(holderID: "t", pid: 1, host: "t"))
        let worker = SyncWorker(cycle: cycle, policy: SyncPolicy(activeInterval: 0.1, idleInterval: 0.1, backoffBase: 0.1, backoffCap: 0.1, jitter: { 0 }))
        let reader = try Self.reader(store)
        let backend = StoreBackend(reader: reader, worker: worker, afterCycle: nil, performer: nil)
        let box = DashboardMailbox()
        backend.start(mailbox: box)
        defer { backend.stop() }

        let first = try await next(box) { if case .jobsChanged(let rows) = $0 { return rows.contains { $0.id == batch.id } } else { return false } }
        guard case .jobsChanged(let rows) = first else { return }
        #expect(rows.first?.lane == .realtime && rows.first?.costSoFar == nil)

        // Only usage moves: no status or progress change, so the cycle reports nothing, but the row changed.
        _ = api.update(batch.id) { $0.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0) }
        let priced = try await next(box) {
            if case .jobsChanged(let rows) = $0 { return rows.contains { $0.costSoFar != nil } } else { return false }
        }
        guard case .jobsChanged(let updated) = priced else { return }
        // gpt-4o-mini batch input: $0.075 per million tokens (real-time would be $0.15).
        #expect(updated.first { $0.id == batch.id }?.costSoFar == MicroDollars(75_000))
    }

    @Test func stopDoesNotWaitForTheFirstRead() throws {
        let dir = try BatchFixtures.temporaryDirectory("backend-stop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"), profile: .resident)
        let reader = try Self.reader(store)
        let backend = StoreBackend(reader: reader, worker: nil, afterCycle: nil, performer: nil)
        // Starting and stopping at once, twice, must neither deadlock nor trap.
        backend.start(mailbox: DashboardMailbox())
        backend.stop()
        backend.stop()
    }
}
