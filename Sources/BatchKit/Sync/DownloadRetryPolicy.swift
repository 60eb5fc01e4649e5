/// When a failed download of a job's output or error file is tried again.
///
/// Rule: a transient failure is retried at every cycle `fastAttempts` times, then every
/// `slowRetrySeconds` for as long as the job is within `SyncOptions.fileMaxAge`, why: the results are
/// what the batch was paid for, and five failures in a minute (a network blip, a full disk) abandoned
/// them for good. A permanent failure (the provider answers 404: the file is gone) is given up after
/// `permanentAttempts`, with the reason recorded, why: retrying a deleted file forever only costs calls.
public struct DownloadRetryPolicy: Sendable, Hashable {
    public var fastAttempts: Int
    public var slowRetrySeconds: Int64
    public var permanentAttempts: Int

    public init(fastAttempts: Int = 5, slowRetrySeconds: Int64 = 3_600, permanentAttempts: Int = 3) {
        self.fastAttempts = max(1, fastAttempts); self.slowRetrySeconds = max(1, slowRetrySeconds)
        self.permanentAttempts = max(1, permanentAttempts)
    }

    /// When to try again after the `attempts`-th failure (counting this one) at `now`; nil to give up.
    public func nextAttempt(afterFailures attempts: Int, permanent: Bool, now: Int64) -> Int64? {
        if permanent { return attempts >= permanentAttempts ? nil : now }
        return attempts < fastAttempts ? now : now + slowRetrySeconds
    }

    /// What the record says about the next try: "retrying at the next cycle", "retrying in 1h", "gave up".
    public func outcome(afterFailures attempts: Int, permanent: Bool, now: Int64) -> String {
        guard let next = nextAttempt(afterFailures: attempts, permanent: permanent, now: now) else {
            return "gave up after \(attempts) attempts: the provider no longer has the file"
        }
        return next <= now ? "retrying at the next cycle" : "retrying in \(SyncFreshness.duration(next - now))"
    }
}
