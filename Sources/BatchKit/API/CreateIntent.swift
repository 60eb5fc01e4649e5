import Foundation

/// batchtop's promise to create one provider batch, recorded before the request is sent.
public struct CreateIntent: Sendable, Hashable, Codable {
    /// batchtop's own job id; written to `metadata[batchtop_job_id]` of the batch.
    public var jobID: String
    /// When the intent was recorded (unix seconds); reconciliation looks only at batches created after it.
    public var createdAt: Int64
    /// The request as it will be sent, tag included.
    public var request: CreateBatchRequest

    public init(jobID: String, createdAt: Int64, request: CreateBatchRequest) {
        self.jobID = jobID; self.createdAt = createdAt; self.request = request
    }
}

/// How a create intent ended.
public enum CreateIntentResult: Sendable, Hashable {
    /// The provider made the batch (from the create response or found by reconciliation).
    case created(batchID: String)
    /// The provider certainly did not make a batch; the message says why.
    case notCreated(reason: String)
    /// It is not known whether a batch exists; a later list (the sync worker) must settle it by the tag.
    case unresolved(reason: String)
}

/// Where `BatchCreator` records intents and their results; the Store implements it over SQLite.
///
/// Rule: `recordIntent` must be durable before it returns, why: the intent is what lets a crashed or
/// disconnected create be reconciled later instead of being repeated.
public protocol CreateIntentRecorder: Sendable {
    /// Records the intent before the create is sent. A throw aborts the create (nothing is sent).
    func recordIntent(_ intent: CreateIntent) async throws
    /// Records how the intent ended.
    func markResult(jobID: String, _ result: CreateIntentResult) async throws
}
