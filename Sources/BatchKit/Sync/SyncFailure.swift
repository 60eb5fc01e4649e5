/// The sync worker's own account of its failing cycles: the source of truth for "N in a row".
///
/// Rule: the worker counts failures in memory and persists the count when it can, why: the failure
/// most worth counting is the one where the database refuses writes, and a count kept only in the
/// database then stays at 1 forever while nothing is recorded.
public struct SyncFailure: Sendable, Hashable {
    /// What failed, one sanitized line.
    public var message: String
    /// Failed cycles in a row, this one included.
    public var consecutiveFailures: Int
    /// When it failed and when the worker tries again (unix seconds).
    public var at: Int64
    public var nextAttemptAt: Int64

    public init(message: String, consecutiveFailures: Int, at: Int64, nextAttemptAt: Int64) {
        self.message = message; self.consecutiveFailures = consecutiveFailures; self.at = at; self.nextAttemptAt = nextAttemptAt
    }
}
