import Foundation

/// A retry `OpenAIClient` is about to wait for, announced before the wait begins.
///
/// Rule: whoever runs a long piece of work (the sync cycle) listens through the task-local
/// `RetryNotice.observer`, why: a retry inside one call (a 429 asking for 30 s, three 500s in a row)
/// otherwise says nothing until the call returns, and the header looked frozen for a minute. A task
/// local, not a client setting, so only the work that asked hears its own retries.
public struct RetryNotice: Sendable, Hashable {
    /// The call being retried.
    public var method: String
    public var path: String
    /// What failed.
    public var error: APIError
    /// Seconds the client waits before the next attempt.
    public var delay: Double
    /// Whether the provider named the wait (`Retry-After` / `retry-after-ms`) rather than the client's backoff.
    public var providerAsked: Bool
    /// 1 for the first retry.
    public var retry: Int
    public var maxRetries: Int

    public init(method: String, path: String, error: APIError, delay: Double, providerAsked: Bool, retry: Int, maxRetries: Int) {
        self.method = method; self.path = path; self.error = error; self.delay = delay
        self.providerAsked = providerAsked; self.retry = retry; self.maxRetries = maxRetries
    }

    /// Who hears the retries of the current task (and its child tasks), if anyone.
    @TaskLocal public static var observer: (@Sendable (RetryNotice) -> Void)?

    /// One line in operator words: "rate limited by the provider (HTTP 429), retrying GET /batches in
    /// 30s (Retry-After; retry 1 of 2)".
    public var description: String {
        let why: String
        switch error.kind {
        case .rateLimited: why = "rate limited by the provider" + (error.statusCode.map { " (HTTP \($0))" } ?? "")
        case .server: why = "provider error" + (error.statusCode.map { " (HTTP \($0))" } ?? "")
        case .timeout: why = "no answer in time"
        case .conflict: why = "conflict (HTTP 409)"
        case .connectionFailed, .connectionLost: why = error.message
        default: why = error.shortDescription
        }
        let source = providerAsked ? "Retry-After; " : ""
        return "\(why), retrying \(method) \(path) in \(APIError.seconds(delay)) (\(source)retry \(retry) of \(maxRetries))"
    }
}
