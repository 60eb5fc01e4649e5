import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// `v8-decision-from-lane`: decisions store the lane they move from; rows raised before get the best
/// value the database holds.
@Suite final class DecisionFromLaneMigrationTests {
    let dir: URL
    let url: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("from-lane")
        url = dir.appendingPathComponent("batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func existingDecisionsGetTheBestKnownFromLane() throws {
        // The database as the previous release left it: decisions without a from-lane.
        do {
            let pool = try DatabasePool(path: url.path)
            try StoreSchema.migrator.migrate(pool, upTo: "v6-audit-anchor")
            try pool.write { db in
                try db.execute(sql: """
                    INSERT INTO jobs (id, status, is_terminal, endpoint, input_file_id, completion_window, created_at,
                        total_requests, completed_requests, failed_requests, metadata_json, raw_json, lane, first_seen_at, last_polled_at)
                    VALUES ('batch_1', 'in_progress', 0, '/v1/chat/completions', 'file-1', '24h', 1, 10, 0, 0, '{}', '{}', 'batch', 1, 1)
                    """)
                let rows: [(String, String, String, String?, String?, String, String?, String)] = [
                    // id, kind, subject, to_lane, to_class, source, dedupe_key, details_json
                    ("dec_job", "job", "batch_1", "realtime", "urgent", "advisor", "escalate:batch_1", "{}"),
                    ("dec_advisor", "workload", "chat", "batch", nil, "advisor", "to-batch:chat", "{}"),
                    ("dec_approved", "workload", "nightly", "realtime", nil, "operator", nil, "{}"),
                    ("dec_to_batch", "workload", "summaries", "batch", nil, "operator", nil, "{}"),
                    ("dec_class", "workload", "evals", nil, "urgent", "operator", nil, "{}"),
                    ("dec_details", "workload", "odd", "realtime", nil, "operator", nil, #"{"from_lane":"realtime"}"#),
                    ("dec_gone_job", "job", "batch_gone", "realtime", nil, "operator", nil, "{}"),
                ]
                for r in rows {
                    try db.execute(sql: """
                        INSERT INTO decisions (id, subject_kind, subject, to_lane, to_class, reason, source, requested_by, requested_at,
                            state, dedupe_key, details_json)
                        VALUES (?, ?, ?, ?, ?, 'r', ?, 'ana', 1, ?, ?, ?)
                        """, arguments: [r.0, r.1, r.2, r.3, r.4, r.5, r.0 == "dec_approved" ? "approved" : "pending", r.6, r.7])
                }
            }
        }
        let store = try BatchStore(url: url)
        #expect(try store.schemaVersion() == BatchStore.knownSchemaVersion)
        let from = Dictionary(uniqueKeysWithValues: try store.decisions().map { ($0.id, $0.fromLane) })
        #expect(from["dec_job"] == .batch, "a job's lane")
        #expect(from["dec_advisor"] == .realtime, "where the advisor saw the spend")
        #expect(from["dec_approved"] == .batch, "the lane it moved from, not the route it now has")
        #expect(from["dec_to_batch"] == .realtime)
        #expect(from["dec_class"] == .some(nil), "unknown: shown as ?")
        #expect(from["dec_details"] == .realtime, "a lane recorded in the details wins")
        #expect(from["dec_gone_job"] == .some(nil))
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aRaisedDecisionKeepsItsFromLane() throws {
        let store = try BatchStore(url: url)
        let d = RoutingDecision(id: "dec_1", subject: .workload("w"), fromLane: .batch, toLane: .realtime, toClass: nil,
                                reason: "r", source: .operator, requestedBy: "ana", requestedAt: 1)
        _ = try store.raiseDecision(d, audit: AuditDraft(at: 1, actor: "ana", action: "decision.raise", targets: ["dec_1"], outcome: "pending"))
        #expect(try store.decision(id: "dec_1")?.fromLane == .batch)
        #expect(try store.auditRecords(target: "dec_1").count == 1)
    }
}
