import Foundation

/// A failed provider call: what kind of failure, the HTTP facts, and what the user should do about it.
///
/// Every field that came from the provider has been passed through `Secret.redact`, so an `APIError`
/// can be logged, stored and shown as-is.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// What went wrong, in the terms a caller decides on (retry, ask a person, give up).
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// 401: the key is missing, wrong or revoked.
        case authentication
        /// 403: the key is valid but not allowed here (wrong project, organization or role).
        case permissionDenied
        /// 404: the id does not exist (or belongs to another project).
        case notFound
        /// 400, 422 and other 4xx the caller must fix.
        case invalidRequest
        /// 409: a conflicting concurrent change.
        case conflict
        /// 429 for rate: retry after the given number of seconds when the provider said so.
        case rateLimited(retryAfter: Double?)
        /// 429 for quota or billing: a person must act; retrying will not help.
        case quotaExceeded
        /// 5xx: the provider failed.
        case server
        /// 408 or the client's own timeout: the request may or may not have been processed.
        case timeout
        /// The connection could not be opened: the request never reached the provider.
        case connectionFailed
        /// The connection broke after the request was (possibly) sent.
        case connectionLost
        /// A 2xx answer whose body could not be read as the expected object.
        case decoding
        /// A local file could not be read or written (upload source, download destination).
        case fileSystem

        public var description: String {
            switch self {
            case .authentication: return "authentication"
            case .permissionDenied: return "permission denied"
            case .notFound: return "not found"
            case .invalidRequest: return "invalid request"
            case .conflict: return "conflict"
            case .rateLimited(let after):
                return after.map { "rate limited (retry after \(APIError.seconds($0)))" } ?? "rate limited"
            case .quotaExceeded: return "quota exceeded"
            case .server: return "server error"
            case .timeout: return "timeout"
            case .connectionFailed: return "connection failed"
            case .connectionLost: return "connection lost"
            case .decoding: return "unreadable response"
            case .fileSystem: return "local file error"
            }
        }
    }

    /// The failure class.
    public var kind: Kind
    /// The HTTP status, when a response arrived.
    public var statusCode: Int?
    /// The provider's `error.code` (`invalid_api_key`, `insufficient_quota`, ...).
    public var code: String?
    /// The provider's or the transport's message, redacted.
    public var message: String
    /// The provider's `error.type`.
    public var type: String?
    /// The provider's `error.param`.
    public var param: String?
    /// The `x-request-id` response header, to quote to provider support.
    public var requestID: String?
    /// The HTTP method of the failed call.
    public var method: String
    /// The API path of the failed call (`/batches/batch_123`), without host or query.
    public var path: String
    /// The provider's explicit `x-should-retry` answer, when it gave one.
    public var serverSaysRetry: Bool?
    /// The wait the provider asked for (`retry-after-ms` / `Retry-After`), in seconds, on any status.
    public var retryAfterHeader: Double?

    public init(
        kind: Kind, statusCode: Int? = nil, code: String? = nil, message: String, type: String? = nil,
        param: String? = nil, requestID: String? = nil, method: String, path: String, serverSaysRetry: Bool? = nil,
        retryAfterHeader: Double? = nil
    ) {
        self.kind = kind; self.statusCode = statusCode; self.code = code; self.message = message
        self.type = type; self.param = param; self.requestID = requestID; self.method = method
        self.path = path; self.serverSaysRetry = serverSaysRetry; self.retryAfterHeader = retryAfterHeader
    }

    /// Seconds to wait before retrying, when the provider said.
    public var retryAfter: Double? {
        if case .rateLimited(let after) = kind, let after { return after }
        return retryAfterHeader
    }

    /// Whether the provider can be sure not to have acted on the request.
    ///
    /// Rule: only a connection that never opened, a 4xx other than 408, or a rate/quota refusal proves the
    /// request was not processed, why: a create that failed any other way may have made a batch, so it must
    /// be reconciled rather than retried (see `BatchCreator`).
    public var provesNotProcessed: Bool {
        switch kind {
        case .connectionFailed, .authentication, .permissionDenied, .notFound, .invalidRequest, .conflict,
            .rateLimited, .quotaExceeded:
            return true
        case .fileSystem:
            // Local file errors happen before anything is sent.
            return statusCode == nil
        case .server, .timeout, .connectionLost, .decoding:
            return false
        }
    }

    /// What to do about it, in one sentence.
    public var advice: String {
        switch kind {
        case .authentication:
            return "Check OPENAI_API_KEY or api_key_file in config.toml (`batchtop info` shows which key is in use, masked)."
        case .permissionDenied:
            return "The key is valid but not allowed here: check OPENAI_PROJECT_ID / OPENAI_ORG_ID and the key's role."
        case .notFound:
            return "Check the id; it may belong to another project or organization."
        case .invalidRequest:
            return "The request was rejected as sent; fix the parameter named above and try again."
        case .conflict:
            return "Another change raced this one; refresh and try again."
        case .rateLimited(let after):
            return after.map { "Wait \(APIError.seconds($0)) and try again." }
                ?? "Slow down and try again in a little while."
        case .quotaExceeded:
            return "Retrying will not help: check the plan, billing and usage limits of the organization."
        case .server:
            return "Usually temporary: try again later; quote the request id to provider support if it persists."
        case .timeout:
            // The transport words already say what to check (network, [api] timeout_seconds).
            return "The request may or may not have been processed."
        case .connectionFailed:
            return "Nothing reached the provider."
        case .connectionLost:
            return "The request may or may not have been processed; check the network and try again."
        case .decoding:
            return "The provider (or a proxy in between) sent something unexpected; check OPENAI_BASE_URL and quote the request id if it persists."
        case .fileSystem:
            return "Check that the path exists, is readable/writable and that the disk has room."
        }
    }

    /// One line; every part that came from the provider (code, message, param, request id, the ids in
    /// the path) is sanitized and cut, so the description can be printed and stored as is.
    public var description: String {
        func clean(_ s: String, _ limit: Int) -> String { UntrustedText.singleLine(s, limit: limit) }
        var head = "\(method) \(clean(path, 300)) failed: \(kind)"
        if let statusCode { head += " (HTTP \(statusCode)" + (code.map { ", \(clean($0, 80))" } ?? "") + ")" }
        else if let code { head += " (\(clean(code, 80)))" }
        var text = head + ": " + clean(message, 1000)
        if let param { text += " [param: \(clean(param, 200))]" }
        if let requestID { text += " [request id: \(clean(requestID, 128))]" }
        return text + ". " + advice
    }

    public var errorDescription: String? { description }

    static func seconds(_ value: Double) -> String {
        value < 10 && value != value.rounded() ? String(format: "%.1fs", value) : "\(Int(value.rounded(.up)))s"
    }
}
