import Foundation
import GRDB

/// The writes operator actions make to jobs: cancel requests, batches learned from an action, lineage.
extension BatchStore {
    /// Records that an operator asked to cancel `jobID` (the first request's time is kept) with its audit row.
    public func markCancelRequested(jobID: String, at: Int64, audit: AuditDraft) throws {
        try write("recording a cancel request for \(jobID)") { db in
            try db.execute(sql: "UPDATE jobs SET cancel_requested_at = COALESCE(cancel_requested_at, ?) WHERE id = ?",
                           arguments: [at, jobID])
            _ = try appendAudit(db, audit)
        }
    }

    /// Stores a batch a provider call returned (a cancel answer, a new resubmit) as the sync would,
    /// plus an optional audit row, in one transaction.
    public func recordObservedBatch(_ batch: Batch, observedAt: Int64, audit: AuditDraft? = nil) throws {
        try write("recording batch \(batch.id)") { db in
            _ = try Self.upsert(db, [batch], observedAt: observedAt)
            if let audit { _ = try appendAudit(db, audit) }
        }
    }

    /// The resubmit chain through `jobID`: its ancestors (oldest first), itself, then every descendant
    /// (breadth first, by creation time), so a chain is visible from either end.
    public func lineage(of jobID: String) throws -> [Job] {
        try read("reading the lineage of \(jobID)") { db in
            guard let start = try String.fetchOne(db, sql: "SELECT id FROM jobs WHERE id = ? OR local_id = ? LIMIT 1",
                                                  arguments: [jobID, jobID]) else { return [] }
            let ancestors = try String.fetchAll(db, sql: """
                WITH RECURSIVE up(id, parent, depth) AS (
                    SELECT id, parent_job_id, 0 FROM jobs WHERE id = ?
                    UNION SELECT j.id, j.parent_job_id, up.depth + 1 FROM jobs j JOIN up ON j.id = up.parent WHERE up.depth < 1000)
                SELECT id FROM up WHERE depth > 0 ORDER BY depth DESC
                """, arguments: [start])
            let descendants = try String.fetchAll(db, sql: """
                WITH RECURSIVE down(id, depth) AS (
                    SELECT id, 0 FROM jobs WHERE id = ?
                    UNION SELECT j.id, down.depth + 1 FROM jobs j JOIN down ON j.parent_job_id = down.id WHERE down.depth < 1000)
                SELECT down.id FROM down JOIN jobs USING (id) WHERE depth > 0 ORDER BY depth, jobs.created_at, down.id
                """, arguments: [start])
            return try (ancestors + [start] + descendants).compactMap { id in
                try Row.fetchOne(db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE id = ?", arguments: [id]).map(Self.job(from:))
            }
        }
    }
}

/// Records `BatchCreator` intents in `create_intents`, with the request and the parent job, so a later
/// run can settle an intent whose process died between recording and creating.
public struct StoreIntentRecorder: CreateIntentRecorder {
    public let store: BatchStore
    /// What the intent is for, e.g. `resubmit`.
    public let kind: String
    /// The job being resubmitted, if any.
    public let parentJobID: String?
    public let clock: any WallClock

    public init(store: BatchStore, kind: String, parentJobID: String?, clock: any WallClock) {
        self.store = store; self.kind = kind; self.parentJobID = parentJobID; self.clock = clock
    }

    public func recordIntent(_ intent: CreateIntent) async throws {
        let request = String(decoding: try JSONEncoder().encode(intent.request), as: UTF8.self)
        try store.write("recording a create intent") { db in
            try db.execute(sql: """
                INSERT INTO create_intents (local_id, kind, created_at, updated_at, state, request_json, parent_job_id)
                VALUES (?, ?, ?, ?, 'pending', ?, ?)
                ON CONFLICT (local_id) DO UPDATE SET updated_at = excluded.updated_at
                """, arguments: [intent.jobID, kind, intent.createdAt, intent.createdAt, request, parentJobID])
        }
    }

    public func markResult(jobID: String, _ result: CreateIntentResult) async throws {
        try store.markIntent(localID: jobID, result, at: clock.unixNow())
    }
}

/// A recorded create intent.
public struct CreateIntentRecord: Sendable, Hashable {
    public var localID: String
    public var kind: String
    public var createdAt: Int64
    public var state: String
    public var batchID: String?
    public var lastError: String?
    public var request: CreateBatchRequest?
    public var parentJobID: String?
}

extension BatchStore {
    /// Records how an intent ended.
    public func markIntent(localID: String, _ result: CreateIntentResult, at: Int64) throws {
        let (state, batchID, error): (String, String?, String?) = switch result {
        case .created(let id): ("created", id, nil)
        case .notCreated(let reason): ("failed", nil, String(reason.prefix(500)))
        case .unresolved(let reason): ("ambiguous", nil, String(reason.prefix(500)))
        }
        try write("recording a create intent's result") { db in
            try db.execute(sql: """
                UPDATE create_intents SET state = ?, batch_id = COALESCE(?, batch_id), last_error = ?, updated_at = ? WHERE local_id = ?
                """, arguments: [state, batchID, error, at, localID])
        }
    }

    /// Intents still pending or ambiguous (a process died, or the outcome was never learned), oldest first.
    public func openIntents() throws -> [CreateIntentRecord] {
        try intents(sql: "WHERE state IN ('pending', 'ambiguous') ORDER BY created_at, local_id", [])
    }

    /// One intent by batchtop job id.
    public func intent(localID: String) throws -> CreateIntentRecord? {
        try intents(sql: "WHERE local_id = ?", [localID]).first
    }

    private func intents(sql: String, _ args: [any DatabaseValueConvertible]) throws -> [CreateIntentRecord] {
        try read("reading create intents") { db in
            try Row.fetchAll(db, sql: """
                SELECT local_id, kind, created_at, state, batch_id, last_error, request_json, parent_job_id FROM create_intents \(sql)
                """, arguments: StatementArguments(args)).map {
                CreateIntentRecord(
                    localID: $0[0], kind: $0[1], createdAt: $0[2], state: $0[3], batchID: $0[4], lastError: $0[5],
                    request: ($0[6] as String?).flatMap { try? JSONDecoder().decode(CreateBatchRequest.self, from: Data($0.utf8)) },
                    parentJobID: $0[7])
            }
        }
    }
}
