/// When an in-flight job is expected to stop counting against the enqueued-token limit.
///
/// Assumptions, in order: `finalizing` ends now (its requests are done); `cancelling` ends within the
/// provider's 10 minutes; an `in_progress` job with progress finishes at its observed rate
/// (elapsed since `in_progress_at` / finished requests x pending requests); anything else (validating,
/// no progress yet, unknown status) finishes at its expiry, `expires_at` or created + 24 h.
/// Every figure is capped at the expiry, why: the provider expires unfinished work then.
public enum JobETA {
    /// The provider's completion window when a batch does not say its expiry.
    public static let defaultWindow: Int64 = 24 * 3600
    /// Longest a cancelling batch stays cancelling.
    public static let cancellingWindow: Int64 = 600

    /// The expected end (unix seconds) of `job`, as seen at `now`.
    public static func estimate(_ job: Job, now: Int64) -> Int64 {
        let batch = job.batch
        let expiry = max(now, batch.expiresAt ?? (batch.createdAt + defaultWindow))
        let status = batch.status
        if status.isTerminal || status == .finalizing { return now }
        if status == .cancelling { return min(expiry, now + cancellingWindow) }
        let counts = batch.requestCounts
        let done = counts.completed + counts.failed
        if status == .inProgress, let started = batch.inProgressAt, counts.total > 0, done > 0, now > started {
            if counts.pending == 0 { return now }
            let elapsed = now - started
            let remaining = (elapsed * Int64(counts.pending) + Int64(done) - 1) / Int64(done)
            return min(expiry, now + remaining)
        }
        return expiry
    }
}
