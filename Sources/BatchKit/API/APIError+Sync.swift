import Foundation

/// The sync worker's backoff honours the provider's `Retry-After` through this conformance.
extension APIError: RetryAfterProviding {}

extension SyncOptions {
    /// Sync options for the OpenAI client: its errors are described without keys, and a 404 on a
    /// job marks it missing instead of failing every cycle.
    public static func openAI(dataDirectory: URL?) -> SyncOptions {
        SyncOptions(
            dataDirectory: dataDirectory,
            describeError: { error in
                if let api = error as? APIError { return api.shortDescription }
                return SystemErrorText.describe(error)
            },
            isNotFound: { ($0 as? APIError)?.statusCode == 404 })
    }
}

extension APIError {
    /// One line for a status bar: `429 rate limited (retry after 8s)`, or for a failure without a
    /// response the operator's words (`connection refused (127.0.0.1:8799) — is the server running?`).
    public var shortDescription: String {
        if statusCode == nil, code?.hasPrefix("URLError") == true, !message.isEmpty { return message }
        var text = statusCode.map { "\($0) \(kind)" } ?? "\(kind)"
        if let code, !code.isEmpty, !text.contains(code) { text += " [\(code)]" }
        return text
    }
}
