import Foundation

/// When the sync worker polls next: adaptive interval, backoff with jitter, `Retry-After`, lease length.
///
/// Pure: the worker feeds it counts and errors and gets seconds back, so tests check every rule
/// without a clock or a timer.
public struct SyncPolicy: Sendable {
    /// Interval while any job is validating, in progress, finalizing, cancelling or in an unknown status.
    public var activeInterval: TimeInterval
    /// Interval when every job is terminal.
    public var idleInterval: TimeInterval
    /// First backoff delay after a failure; doubles with each consecutive failure.
    public var backoffBase: TimeInterval
    /// The longest backoff delay.
    public var backoffCap: TimeInterval
    /// The longest `Retry-After` honoured (a server asking for an hour is waited on for this long, then asked again).
    public var retryAfterCap: TimeInterval
    /// The lease lasts this many times the next delay, so a dead holder is replaced within a few intervals.
    public var leaseMultiplier: Double
    /// A random fraction in 0..<1; injected so tests are deterministic.
    public var jitter: @Sendable () -> Double
    /// The server-requested delay an error carries, if any.
    public var retryAfter: @Sendable (any Error) -> TimeInterval?

    public init(
        activeInterval: TimeInterval = 5, idleInterval: TimeInterval = 60, backoffBase: TimeInterval = 2,
        backoffCap: TimeInterval = 300, retryAfterCap: TimeInterval = 600, leaseMultiplier: Double = 3,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        retryAfter: @escaping @Sendable (any Error) -> TimeInterval? = { ($0 as? any RetryAfterProviding)?.retryAfter }
    ) {
        self.activeInterval = max(0.1, activeInterval); self.idleInterval = max(self.activeInterval, idleInterval)
        self.backoffBase = max(0.1, backoffBase); self.backoffCap = max(self.backoffBase, backoffCap)
        self.retryAfterCap = max(0, retryAfterCap); self.leaseMultiplier = max(1.5, leaseMultiplier)
        self.jitter = jitter; self.retryAfter = retryAfter
    }

    /// The delay after a successful cycle that left `activeJobs` jobs non-terminal.
    public func interval(activeJobs: Int) -> TimeInterval {
        activeJobs > 0 ? activeInterval : idleInterval
    }

    /// The delay after the `consecutiveFailures`-th failure in a row (1 for the first), ending in `error`.
    ///
    /// Rule: "equal jitter" (half fixed, half random) and never shorter than a capped `Retry-After`,
    /// why: many dashboards failing together must not retry in lock-step, and a server that names a
    /// delay knows better than our guess.
    public func backoff(consecutiveFailures: Int, error: (any Error)?) -> TimeInterval {
        let exponent = min(max(consecutiveFailures, 1) - 1, 30)
        let raw = min(backoffCap, backoffBase * pow(2, Double(exponent)))
        let fraction = min(max(jitter(), 0), 1)
        var delay = raw / 2 + raw / 2 * fraction
        if let error, let asked = retryAfter(error), asked.isFinite, asked > 0 {
            delay = max(delay, min(asked, retryAfterCap))
        }
        return delay
    }

    /// How long a standby waits before asking for the lease again, given the holder's TTL.
    ///
    /// Rule: from the TTL (a duration), never from the holder's `expiresAt` (a time on the holder's
    /// clock), why: a holder with a skewed clock would make a standby wait hours or spin every second.
    /// Half the TTL, so a silent holder is noticed within 1.5 TTLs; at most the idle interval.
    public func standbyDelay(leaseTTL: Int64) -> TimeInterval {
        min(idleInterval, max(1, TimeInterval(leaseTTL) / 2))
    }

    /// How long a lease taken or renewed now should last when the next attempt is `delay` away.
    public func leaseTTL(nextDelay delay: TimeInterval) -> Int64 {
        Int64((max(delay, activeInterval) * leaseMultiplier).rounded(.up)) + 1
    }
}
