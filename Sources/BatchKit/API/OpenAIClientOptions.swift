import Foundation

/// Everything `OpenAIClient` needs to reach the provider: where, as whom, how patiently.
public struct OpenAIClientOptions: Sendable {
    /// The API root, e.g. `https://api.openai.com/v1`; paths like `/batches` are appended to it.
    public var baseURL: URL
    /// The project key, sent as `Authorization: Bearer`.
    public var apiKey: Secret
    /// Sent as `OpenAI-Organization` when set.
    public var organization: String?
    /// Sent as `OpenAI-Project` when set.
    public var project: String?
    /// Per-request timeout in seconds (time without progress, as URLSession counts it).
    public var timeoutSeconds: Double
    /// Retry behaviour for every call except create (see `OpenAIClient.createBatch`).
    public var retry: RetryPolicy
    /// The `User-Agent` header.
    public var userAgent: String
    /// Where multipart upload bodies are staged; nil means the system temporary directory.
    ///
    /// Rule: configure a directory on disk (batchtop uses `<data dir>/tmp`), why: `/tmp` is often a
    /// RAM-backed tmpfs, where a staged 200 MB upload would sit in memory after all.
    public var stagingDirectory: URL?

    /// The provider's default API root.
    public static let defaultBaseURL = URL(string: "https://api.openai.com/v1")!
    /// The default per-request timeout in seconds.
    public static let defaultTimeoutSeconds: Double = 120

    public init(
        baseURL: URL = OpenAIClientOptions.defaultBaseURL, apiKey: Secret, organization: String? = nil,
        project: String? = nil, timeoutSeconds: Double = OpenAIClientOptions.defaultTimeoutSeconds,
        retry: RetryPolicy = RetryPolicy(), userAgent: String = "batchtop/\(BatchtopVersion.current)",
        stagingDirectory: URL? = nil
    ) {
        self.baseURL = baseURL; self.apiKey = apiKey; self.organization = organization; self.project = project
        self.timeoutSeconds = timeoutSeconds; self.retry = retry; self.userAgent = userAgent
        self.stagingDirectory = stagingDirectory
    }
}

/// One HTTP exchange as the client saw it; handed to an observer for counting and diagnostics.
public struct APICallRecord: Sendable, Hashable {
    /// The HTTP method.
    public var method: String
    /// The API path, without host or query.
    public var path: String
    /// The HTTP status, or nil when no response arrived.
    public var statusCode: Int?
    /// The `x-request-id` header, when a response arrived.
    public var requestID: String?
    /// 0 for the first attempt, 1 for the first retry, and so on.
    public var attempt: Int
    /// The failure, when the exchange failed.
    public var error: APIError?
}
