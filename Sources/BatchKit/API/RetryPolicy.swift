import Foundation

/// When and how long to wait before retrying a failed provider call, as the official SDKs do.
///
/// Retried: connection failures and losses, timeouts (408), conflicts (409), rate limits (429) and
/// server errors (>= 500), at most `maxRetries` times. An explicit `x-should-retry` header wins over that
/// list. Quota 429s are never retried: a person has to act.
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt (the SDK default is 2).
    public var maxRetries: Int
    /// The first backoff delay, doubled on each retry.
    public var initialDelay: Double
    /// The longest backoff delay.
    public var maxDelay: Double
    /// The longest provider-requested wait (`Retry-After`) honoured inside one call.
    ///
    /// Rule: a longer request is not slept through but reported (`APIError.retryAfter`), why: holding a
    /// call for minutes hides the problem; the sync worker schedules its next cycle from the error instead.
    public var retryAfterCap: Double
    /// A random number in `0..<1`, for jitter; injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    public init(
        maxRetries: Int = 2, initialDelay: Double = 0.5, maxDelay: Double = 8, retryAfterCap: Double = 120,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxRetries = max(0, maxRetries); self.initialDelay = initialDelay; self.maxDelay = maxDelay
        self.retryAfterCap = retryAfterCap; self.random = random
    }

    /// A policy that never retries.
    public static let none = RetryPolicy(maxRetries: 0)

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Hashable {
        /// Wait this many seconds, then try again.
        case retry(after: Double)
        /// Give up and surface the error.
        case giveUp
    }

    /// The decision after `retriesSoFar` retries have already been spent and `error` happened.
    public func decide(_ error: APIError, retriesSoFar: Int) -> Decision {
        guard retriesSoFar < maxRetries, Self.isRetryable(error) else { return .giveUp }
        if let wait = error.retryAfter, wait > 0 {
            return wait <= retryAfterCap ? .retry(after: wait) : .giveUp
        }
        return .retry(after: backoff(retriesSoFar: retriesSoFar))
    }

    /// `min(initialDelay * 2^n, maxDelay)`, reduced by up to 25% of jitter (as the SDK does).
    public func backoff(retriesSoFar n: Int) -> Double {
        let base = min(initialDelay * pow(2, Double(min(n, 30))), maxDelay)
        let jitter = 1 - 0.25 * min(max(random(), 0), 1)
        return base * jitter
    }

    /// Whether the error class is worth a retry at all.
    public static func isRetryable(_ error: APIError) -> Bool {
        if case .quotaExceeded = error.kind { return false }
        if let explicit = error.serverSaysRetry { return explicit }
        switch error.kind {
        case .connectionFailed, .connectionLost, .timeout, .conflict, .rateLimited, .server: return true
        default: return false
        }
    }

    /// The provider's requested wait in seconds from `retry-after-ms` or `Retry-After` (seconds or
    /// HTTP-date), or nil when absent, unparsable or not positive.
    public static func retryAfterSeconds(retryAfterMs: String?, retryAfter: String?, now: Date) -> Double? {
        if let ms = retryAfterMs.flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }), ms.isFinite, ms > 0 {
            return ms / 1000
        }
        guard let raw = retryAfter?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw) {
            return seconds.isFinite && seconds > 0 ? seconds : nil
        }
        guard let date = httpDate(raw) else { return nil }
        let wait = date.timeIntervalSince(now)
        return wait > 0 ? wait : nil
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form `Retry-After` uses.
    static func httpDate(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text)
    }
}

/// How a retry waits; injected so tests record the delays instead of sleeping.
public struct RetrySleeper: Sendable {
    /// Waits the given number of seconds (or throws on cancellation).
    public var sleep: @Sendable (Double) async throws -> Void

    public init(_ sleep: @escaping @Sendable (Double) async throws -> Void) { self.sleep = sleep }

    /// Really sleeps, via `Task.sleep`.
    public static let real = RetrySleeper { seconds in
        try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
