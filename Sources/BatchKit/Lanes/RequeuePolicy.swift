/// Decides whether a batch that failed on the enqueued-token limit goes back to the local queue.
///
/// Rule: re-queue automatically once, why: a `token_limit_exceeded` failure means our estimate or
/// someone else's batches used the capacity, which usually clears; a second failure points at a
/// standing problem (limit misconfigured, estimate far off) that needs a person, not a loop.
public struct RequeuePolicy: Sendable, Hashable {
    /// The provider's error code for a full queue.
    public static let tokenLimitCode = "token_limit_exceeded"

    /// How many automatic re-queues a chunk gets.
    public var maxRequeues: Int

    public init(maxRequeues: Int = 1) { self.maxRequeues = max(0, maxRequeues) }

    /// The decision for `job`, whose chunk has already been re-queued `requeuedCount` times.
    public func decide(_ job: Job, requeuedCount: Int) -> RequeueDecision {
        let batch = job.batch
        guard batch.status == .failed else {
            return .notApplicable(reason: "\(batch.id) is \(batch.status), not failed")
        }
        guard let error = batch.errors.first(where: { $0.code == Self.tokenLimitCode }) else {
            let codes = batch.errors.compactMap(\.code)
            return .notApplicable(reason: "\(batch.id) failed for \(codes.isEmpty ? "an unstated reason" : codes.joined(separator: ", ")), not the enqueued-token limit")
        }
        let detail = error.message.map { ": \($0)" } ?? ""
        guard requeuedCount < maxRequeues else {
            return .giveUp(reason: "\(batch.id) failed on the enqueued-token limit\(detail) after \(requeuedCount) automatic re-queue(s); check the configured limit and other batches of this model, then resubmit")
        }
        return .requeue(reason: "\(batch.id) failed on the enqueued-token limit\(detail); re-queued automatically (\(requeuedCount + 1) of \(maxRequeues))")
    }
}

/// What to do with a failed job's chunk; the reason goes into the audit row.
public enum RequeueDecision: Sendable, Hashable {
    /// Put the chunk back in the local queue.
    case requeue(reason: String)
    /// Stop: it was re-queued as often as allowed.
    case giveUp(reason: String)
    /// The job did not fail on the token limit; the rule does not apply.
    case notApplicable(reason: String)
}
