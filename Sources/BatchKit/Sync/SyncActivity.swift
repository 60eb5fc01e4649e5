/// What a running sync cycle is doing now: "listing batches: page 40 of ?", or a wait it is sitting
/// through ("rate limited by the provider, retrying GET /batches in 30s (Retry-After)").
///
/// Rule: said before the wait or while the work runs, not after the cycle, why: a cycle that retries
/// or lists for a minute otherwise looks frozen, and the operator cannot tell a provider's rate limit
/// from a hang. Stored in `sync_state` so a dashboard in another process shows it too.
public struct SyncActivity: Sendable, Hashable {
    /// One line for the header and `sync` (untrusted parts already sanitized by the writer).
    public var text: String
    /// When it was said (unix seconds).
    public var at: Int64
    /// For a wait: when it ends (unix seconds); nil for progress.
    public var until: Int64?

    public init(text: String, at: Int64, until: Int64? = nil) {
        self.text = text; self.at = at; self.until = until
    }

    /// Whether this is a wait caused by the provider (a retry), rather than progress.
    public var isWait: Bool { until != nil }

    /// The line with the time left of a wait at `now`: "…, retrying in 28s".
    public func line(now: Int64) -> String {
        guard let until else { return text }
        return text + (until > now ? " (\(SyncFreshness.duration(until - now)) left)" : " (retrying now)")
    }
}
