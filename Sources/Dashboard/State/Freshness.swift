/// How current the data is: when the last poll succeeded, the last error and the next retry.
public struct Freshness: Hashable, Sendable {
    /// Unix seconds of the last successful sync cycle; nil before the first.
    public var lastSuccessAt: Int64?
    /// The last error's text (untrusted: sanitised when drawn); nil once a cycle succeeds.
    public var lastError: String?
    /// When the worker will try again after an error (unix seconds).
    public var nextRetryAt: Int64?
    /// The worker's current poll interval in seconds.
    public var interval: Int64
    /// Whether the worker is polling right now.
    public var polling: Bool
    /// What the running cycle says it is doing ("listing batches: page 40 of ?", or a provider's rate
    /// limit it is waiting out); untrusted: sanitised when drawn. Nil between cycles.
    public var activity: String?
    /// Whether `activity` is a wait the provider caused (drawn as a warning) rather than progress.
    public var activityIsWait = false

    public init(lastSuccessAt: Int64? = nil, lastError: String? = nil, nextRetryAt: Int64? = nil, interval: Int64 = 5, polling: Bool = false) {
        self.lastSuccessAt = lastSuccessAt; self.lastError = lastError; self.nextRetryAt = nextRetryAt
        self.interval = max(1, interval); self.polling = polling
    }

    /// Whether the data is older than twice the poll interval at `now`.
    public func isStale(now: Int64) -> Bool {
        guard let last = lastSuccessAt else { return false }
        return now - last > 2 * interval
    }
}
