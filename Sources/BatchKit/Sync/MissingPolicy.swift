/// When a job the provider answers 404 for counts as missing, and how often a missing job is re-checked.
///
/// Rule: a 404 must repeat on `confirmAfter` consecutive checks spread over at least `minimumSeconds`
/// before the job counts as missing, why: providers answer a transient 404 (a replica behind, a
/// deploy), and a job hidden after one of them was never polled again and showed `in_progress` for
/// good. Rule: a missing job is still fetched every `recheckSeconds`, why: a job that reappears must
/// be updated, and one GET per missing job every ten minutes costs nothing.
public struct MissingPolicy: Sendable, Hashable {
    /// Consecutive 404s (one per cycle) before a job counts as missing.
    public var confirmAfter: Int
    /// The least time from the first 404 of a streak to the one that confirms it, seconds.
    public var minimumSeconds: Int64
    /// How often a missing job is fetched again, seconds.
    public var recheckSeconds: Int64

    public init(confirmAfter: Int = 3, minimumSeconds: Int64 = 300, recheckSeconds: Int64 = 600) {
        self.confirmAfter = max(1, confirmAfter); self.minimumSeconds = max(0, minimumSeconds)
        self.recheckSeconds = max(1, recheckSeconds)
    }

    /// Whether a streak of `consecutiveNotFound` 404s that began at `since` makes the job missing at `now`.
    public func isMissing(consecutiveNotFound: Int, since: Int64, now: Int64) -> Bool {
        consecutiveNotFound >= confirmAfter && now - since >= minimumSeconds
    }

    /// Missing jobs last checked at or before this time are due for another look at `now`.
    public func recheckDue(now: Int64) -> Int64 { now - recheckSeconds }
}
