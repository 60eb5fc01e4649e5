import Foundation
import GRDB

/// Queue-depth samples, create intents and audit rows written by the lanes.
extension BatchStore {
    /// Keeps one queue-depth sample (a later sample at the same second and lane replaces it).
    public func appendQueueSample(_ s: QueueSample) throws {
        try write("recording a queue sample") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO queue_samples (at, lane, held_chunks, held_requests, in_flight_jobs, pending_requests,
                    enqueued_tokens, peak_per_mille) VALUES (?,?,?,?,?,?,?,?)
                """, arguments: [s.at, s.lane.rawValue, s.heldChunks, s.heldRequests, s.inFlightJobs, s.pendingRequests,
                                 s.enqueuedTokens, s.peakUtilizationPerMille])
        }
    }

    /// Samples of `lane` taken at or after `since`, oldest first (for the sparkline).
    public func queueSamples(lane: Lane, since: Int64, limit: Int = 10_000) throws -> [QueueSample] {
        try read("reading queue samples") { db in
            try Row.fetchAll(db, sql: """
                SELECT at, held_chunks, held_requests, in_flight_jobs, pending_requests, enqueued_tokens, peak_per_mille
                FROM queue_samples WHERE lane = ? AND at >= ? ORDER BY at LIMIT ?
                """, arguments: [lane.rawValue, since, limit]).map {
                QueueSample(at: $0[0], lane: lane, heldChunks: $0[1], heldRequests: $0[2], inFlightJobs: $0[3],
                            pendingRequests: $0[4], enqueuedTokens: $0[5], peakUtilizationPerMille: $0[6])
            }
        }
    }

    /// The stored state of a create intent: (state, batch id, created at), or nil when none was recorded.
    public func createIntent(localID: String) throws -> (state: String, batchID: String?, createdAt: Int64)? {
        try read("reading create intent \(localID)") { db in
            try Row.fetchOne(db, sql: "SELECT state, batch_id, created_at FROM create_intents WHERE local_id = ?", arguments: [localID])
                .map { ($0[0], $0[1], $0[2]) }
        }
    }

    func recordCreateIntent(_ intent: CreateIntent) throws {
        try write("recording create intent \(intent.jobID)") { db in
            try db.execute(sql: """
                INSERT INTO create_intents (local_id, kind, created_at, updated_at, state) VALUES (?, 'batch', ?, ?, 'pending')
                ON CONFLICT(local_id) DO UPDATE SET updated_at = excluded.updated_at,
                    state = CASE WHEN create_intents.state = 'created' THEN 'created' ELSE 'pending' END
                """, arguments: [intent.jobID, intent.createdAt, intent.createdAt])
        }
    }

    func markCreateIntent(localID: String, _ result: CreateIntentResult, at: Int64) throws {
        let (state, batchID, error): (String, String?, String?)
        switch result {
        case .created(let id): (state, batchID, error) = ("created", id, nil)
        case .notCreated(let reason): (state, batchID, error) = ("failed", nil, reason)
        case .unresolved(let reason): (state, batchID, error) = ("ambiguous", nil, reason)
        }
        try write("settling create intent \(localID)") { db in
            try db.execute(sql: "UPDATE create_intents SET state = ?, batch_id = COALESCE(?, batch_id), last_error = ?, updated_at = ? WHERE local_id = ?",
                           arguments: [state, batchID, error, at, localID])
        }
    }

    /// Appends one audit row, chained to the previous row by hash.
    ///
    /// Minimal version for the lanes (automatic re-queues); hash = SHA-256 over the previous hash and
    /// the row's fields joined by newlines. The operations branch owns the full audit chain: the
    /// integrator keeps one of the two.
    @discardableResult
    public func appendAudit(at: Int64, actor: String, action: String, targets: [String], parameters: [String: String],
                            outcome: String, providerRequestID: String? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let targetsJSON = String(decoding: (try? encoder.encode(targets)) ?? Data("[]".utf8), as: UTF8.self)
        let paramsJSON = String(decoding: (try? encoder.encode(parameters)) ?? Data("{}".utf8), as: UTF8.self)
        return try write("appending an audit row") { db in
            let prev = try String.fetchOne(db, sql: "SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
            let text = [prev ?? "", String(at), actor, action, targetsJSON, paramsJSON, outcome, providerRequestID ?? ""]
                .joined(separator: "\n")
            let hash = SHA256.hex(Data(text.utf8))
            try db.execute(sql: """
                INSERT INTO audit (at, actor, action, targets, parameters_json, outcome, provider_request_id, prev_hash, hash)
                VALUES (?,?,?,?,?,?,?,?,?)
                """, arguments: [at, actor, action, targetsJSON, paramsJSON, outcome, providerRequestID, prev, hash])
            return hash
        }
    }

    /// Audit rows with `action`, oldest first: (at, actor, targets JSON, outcome).
    public func auditRows(action: String) throws -> [(at: Int64, actor: String, targets: String, outcome: String)] {
        try read("reading audit rows") { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, targets, outcome FROM audit WHERE action = ? ORDER BY id", arguments: [action])
                .map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }
}

/// `CreateIntentRecorder` over the store's `create_intents` table, for `BatchCreator`.
public struct StoreIntentRecorder: CreateIntentRecorder {
    public let store: BatchStore
    public let clock: any WallClock

    public init(store: BatchStore, clock: any WallClock) { self.store = store; self.clock = clock }

    public func recordIntent(_ intent: CreateIntent) async throws { try store.recordCreateIntent(intent) }

    public func markResult(jobID: String, _ result: CreateIntentResult) async throws {
        try store.markCreateIntent(localID: jobID, result, at: clock.unixNow())
    }
}
