import Foundation

/// Sends one real-time request; `OpenAIClient` implements it with the SDK-like retry policy.
///
/// Throws `APIError` when the provider answered non-2xx after retries or never answered.
public protocol RealtimeTransport: Sendable {
    /// POSTs `body` to `path` (`/v1/chat/completions`, `/v1/responses`, `/v1/embeddings`).
    func post(path: String, body: Data) async throws -> RealtimeReply
}

/// A 2xx real-time answer: status, body and headers (names lower-cased).
public struct RealtimeReply: Sendable, Hashable {
    public var statusCode: Int
    public var body: Data
    public var headers: [String: String]

    public init(statusCode: Int, body: Data, headers: [String: String]) {
        self.statusCode = statusCode; self.body = body; self.headers = headers
    }
}
