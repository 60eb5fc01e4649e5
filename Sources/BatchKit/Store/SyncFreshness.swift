import Foundation

/// How current the stored data is: the sync state the dashboard shows in its header.
public struct SyncFreshness: Sendable, Hashable {
    public var lastSuccessAt: Int64?
    public var lastErrorText: String?
    public var lastErrorAt: Int64?
    public var nextAttemptAt: Int64?
    public var consecutiveFailures: Int
    /// The interval the poller is using now, seconds.
    public var intervalSeconds: Double?
    /// When a listing last reached the oldest batch; nil until the first full listing.
    public var fullListingAt: Int64?
    public var lastCycleAPICalls: Int?
    /// The current poller, if any holds the lease.
    public var lease: LeaseRecord?
    /// What a cycle said it was doing, as last recorded; see `currentActivity`.
    public var activity: SyncActivity?

    public init(
        lastSuccessAt: Int64? = nil, lastErrorText: String? = nil, lastErrorAt: Int64? = nil,
        nextAttemptAt: Int64? = nil, consecutiveFailures: Int = 0, intervalSeconds: Double? = nil,
        fullListingAt: Int64? = nil, lastCycleAPICalls: Int? = nil, lease: LeaseRecord? = nil
    ) {
        self.lastSuccessAt = lastSuccessAt; self.lastErrorText = lastErrorText; self.lastErrorAt = lastErrorAt
        self.nextAttemptAt = nextAttemptAt; self.consecutiveFailures = consecutiveFailures
        self.intervalSeconds = intervalSeconds; self.fullListingAt = fullListingAt
        self.lastCycleAPICalls = lastCycleAPICalls; self.lease = lease
    }

    /// What the running cycle is doing, when it said so after the last cycle ended (a cycle's end,
    /// success or failure, supersedes it).
    public var currentActivity: SyncActivity? {
        guard let activity, activity.at > (lastSuccessAt ?? Int64.min), activity.at > (lastErrorAt ?? Int64.min) else { return nil }
        return activity
    }

    /// Whether the most recent cycle failed.
    public var isFailing: Bool {
        guard let lastErrorAt else { return false }
        return consecutiveFailures > 0 || lastErrorAt > (lastSuccessAt ?? Int64.min)
    }

    /// Whether the data is older than twice the polling interval at `now`.
    public func isStale(now: Int64) -> Bool {
        guard let lastSuccessAt else { return true }
        let interval = intervalSeconds ?? 60
        return Double(now - lastSuccessAt) > 2 * interval
    }

    /// This freshness with what the running worker knows and the database may not: a failure it could
    /// not record (the database refusing writes is exactly such a failure) shows, with its true count.
    public func merging(workerFailure failure: SyncFailure?) -> SyncFreshness {
        guard let failure, failure.at >= (lastErrorAt ?? Int64.min), failure.at >= (lastSuccessAt ?? Int64.min) else { return self }
        var f = self
        f.lastErrorText = failure.message
        f.lastErrorAt = failure.at
        f.nextAttemptAt = failure.nextAttemptAt
        f.consecutiveFailures = failure.consecutiveFailures
        return f
    }

    /// "updated 12s ago", or "updated 12s ago · last error: 429 ..., retry in 8s"; "never synced" at first.
    public func summary(now: Int64) -> String {
        var parts: [String] = []
        if let lastSuccessAt {
            parts.append("updated \(Self.duration(now - lastSuccessAt)) ago")
        } else {
            parts.append("never synced")
        }
        if isFailing, let text = lastErrorText {
            var error = "last error: \(text)"
            if let next = nextAttemptAt {
                error += next > now ? ", retry in \(Self.duration(next - now))" : ", retrying"
            }
            parts.append(error)
        }
        if let activity = currentActivity { parts.append(activity.line(now: now)) }
        return parts.joined(separator: " · ")
    }

    /// `42s`, `3m`, `5h`, `2d`; negative spans read as 0s.
    public static func duration(_ seconds: Int64) -> String {
        let s = max(0, seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" }
        return "\(s / 86_400)d"
    }
}
