import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// Job revisions: a reader asks for "jobs changed since N" and gets exactly what moved.
@Suite final class StoreRevisionTests {
    let dir: URL
    let url: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("revisions")
        url = dir.appendingPathComponent("batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func changesAfterARevisionAreExactlyWhatMoved() throws {
        let store = try BatchStore(url: url)
        try store.applyCycle([
            BatchFixtures.batch(1, status: .inProgress, total: 10),
            BatchFixtures.batch(2, status: .inProgress, total: 10),
            BatchFixtures.batch(3, status: .completed, total: 10, completed: 10),
        ], observedAt: 1_000)
        let all = try store.jobChanges(after: 0)
        #expect(all.jobs.map(\.id).sorted() == ["batch_00000001", "batch_00000002", "batch_00000003"])
        #expect(try store.jobChanges(after: all.revision).jobs.isEmpty, "nothing moved since")

        // A poll that finds nothing new only stamps last_polled_at: not a change anyone sees.
        try store.applyCycle([
            BatchFixtures.batch(1, status: .inProgress, total: 10),
            BatchFixtures.batch(2, status: .inProgress, total: 10),
        ], observedAt: 2_000)
        let quiet = try store.jobChanges(after: all.revision)
        #expect(quiet.jobs.isEmpty && quiet.revision == all.revision)

        // Progress on one job, a new job, and a cancel request on another: exactly those three.
        try store.applyCycle([
            BatchFixtures.batch(1, status: .inProgress, total: 10, completed: 4),
            BatchFixtures.batch(4, status: .validating),
        ], observedAt: 3_000)
        try store.markCancelRequested(
            jobID: "batch_00000002", at: 3_001, audit: AuditDraft(at: 3_001, actor: "op", action: "cancel", targets: ["batch_00000002"], outcome: "requested"))
        let moved = try store.jobChanges(after: all.revision)
        #expect(moved.jobs.map(\.id) == ["batch_00000001", "batch_00000004", "batch_00000002"], "in revision order")
        #expect(moved.jobs[0].requestCounts.completed == 4)
        #expect(moved.jobs[2].cancelRequestedAt == 3_001)
        #expect(moved.revision > all.revision)
        #expect(try store.jobChanges(after: moved.revision).jobs.isEmpty)
    }

    @Test func summariesCarryWhatTheListShows() throws {
        let store = try BatchStore(url: url)
        var b = BatchFixtures.batch(7, status: .inProgress, total: 10, completed: 3, failed: 1, workload: "a-rather-long-workload-name")
        b.inProgressAt = 1_767_000_100
        b.expiresAt = 1_767_086_400
        b.usage = TokenUsage(inputTokens: 100, cachedInputTokens: 20, outputTokens: 30, reasoningTokens: 5)
        b.metadata["batchtop_parent"] = "batch_00000006"
        try store.applyCycle([b, BatchFixtures.batch(8, status: .completed, workload: "a-rather-long-workload-name")], observedAt: 50)
        let rows = try store.jobChanges(after: 0).jobs
        let s = try #require(rows.first { $0.id == b.id })
        #expect(s.status == .inProgress && s.lane == "batch" && s.model == "gpt-4o-mini")
        #expect(s.workload == "a-rather-long-workload-name")
        #expect(s.requestCounts == RequestCounts(total: 10, completed: 3, failed: 1))
        #expect(s.inProgressAt == 1_767_000_100 && s.expiresAt == 1_767_086_400 && s.createdAt == b.createdAt)
        #expect(s.usage == b.usage)
        #expect(s.parentJobID == "batch_00000006")
        #expect(rows.first { $0.id != b.id }?.usage == nil)
        #expect(try store.jobSummaries(JobFilter(activeOnly: true)).map(\.id) == [b.id])
    }

    @Test func childrenAreFoundByTheirParent() throws {
        let store = try BatchStore(url: url)
        var child = BatchFixtures.batch(2, status: .inProgress, createdAt: 1_767_000_500)
        child.metadata["batchtop_parent"] = "batch_00000001"
        var grandchild = BatchFixtures.batch(3, status: .validating, createdAt: 1_767_000_900)
        grandchild.metadata["batchtop_parent"] = "batch_00000002"
        try store.applyCycle([BatchFixtures.batch(1, status: .failed), child, grandchild], observedAt: 1)
        #expect(try store.childJobIDs(of: "batch_00000001") == ["batch_00000002"])
        #expect(try store.childJobIDs(of: "batch_00000002") == ["batch_00000003"])
        #expect(try store.childJobIDs(of: "batch_00000003").isEmpty)
    }

    @Test func aVersion4DatabaseGainsRevisionsForItsJobs() throws {
        // Build the database as the previous release left it, with jobs in it, then open it with this one.
        do {
            let pool = try DatabasePool(path: url.path)
            try StoreSchema.migrator.migrate(pool, upTo: "v4-lanes")
            try pool.write { db in
                for n in 1...3 {
                    try db.execute(sql: """
                        INSERT INTO jobs (id, status, is_terminal, endpoint, input_file_id, completion_window, created_at,
                            total_requests, completed_requests, failed_requests, metadata_json, raw_json, lane, first_seen_at, last_polled_at)
                        VALUES (?, 'in_progress', 0, '/v1/chat/completions', 'file-1', '24h', ?, 10, 0, 0, '{}', '{}', 'batch', 1, 1)
                        """, arguments: ["batch_old_\(n)", 1_767_000_000 + n])
                }
            }
        }
        let store = try BatchStore(url: url)
        #expect(try store.schemaVersion() == BatchStore.knownSchemaVersion)
        let all = try store.jobChanges(after: 0)
        #expect(all.jobs.map(\.id).sorted() == ["batch_old_1", "batch_old_2", "batch_old_3"])
        #expect(Set(all.jobs.map(\.revision)).count == 3, "every old job has its own revision")
        #expect(try store.integrityCheck() == ["ok"])
        // New writes continue above the old revisions.
        try store.applyCycle([BatchFixtures.batch(1, status: .validating)], observedAt: 2)
        #expect(try store.jobChanges(after: all.revision).jobs.map(\.id) == ["batch_00000001"])
    }
}
