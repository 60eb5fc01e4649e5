import Foundation
import GRDB

/// Queue-depth samples written by the lanes (the Queue pane's sparkline).
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
}
