/// What the sync worker tells the UI through its mailbox.
public enum SyncEvent: Sendable, Hashable {
    /// A cycle finished; the next one is due at `nextAttemptAt`.
    case cycleCompleted(SyncReport, nextAttemptAt: Int64)
    /// A cycle failed; the worker retries at `nextAttemptAt` (after backoff or `Retry-After`).
    case cycleFailed(message: String, consecutiveFailures: Int, nextAttemptAt: Int64)
    /// Polling paused or resumed by the operator.
    case paused
    case resumed
}
