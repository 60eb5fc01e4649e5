import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The provider's error envelope `{"error": {"message", "type", "param", "code"}}`, decoded leniently.
///
/// Rule: every field is optional and `code` may be a string or a number, why: proxies and older
/// endpoints send partial envelopes, and a malformed error body must still yield a useful `APIError`.
struct APIErrorBody: Decodable, Sendable {
    var message: String?
    var type: String?
    var param: String?
    var code: String?

    enum Outer: String, CodingKey { case error }
    enum Inner: String, CodingKey { case message, type, param, code }

    init(from decoder: Decoder) throws {
        let outer = try decoder.container(keyedBy: Outer.self)
        let c = try outer.nestedContainer(keyedBy: Inner.self, forKey: .error)
        message = try? c.decodeIfPresent(String.self, forKey: .message)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        param = try? c.decodeIfPresent(String.self, forKey: .param)
        if let s = try? c.decodeIfPresent(String.self, forKey: .code) {
            code = s
        } else if let n = try? c.decodeIfPresent(Int.self, forKey: .code) {
            code = String(n)
        }
    }

    /// Decodes `data` as an error envelope, or nil when it is not one.
    static func parse(_ data: Data) -> APIErrorBody? {
        try? JSONDecoder().decode(APIErrorBody.self, from: data)
    }
}

extension APIError {
    /// Classifies a non-2xx response into an `APIError`.
    ///
    /// - Parameters:
    ///   - body: at most the first few kilobytes of the response body.
    ///   - now: the current time, to turn an HTTP-date `Retry-After` into seconds.
    ///   - secrets: keys to scrub from anything echoed back.
    static func fromResponse(
        status: Int, headers: [String: String], body: Data, method: String, path: String,
        now: Date, secrets: [Secret]
    ) -> APIError {
        let envelope = APIErrorBody.parse(body)
        let header = { (name: String) in headers.first { $0.key.lowercased() == name }?.value }
        let retryAfter = RetryPolicy.retryAfterSeconds(
            retryAfterMs: header("retry-after-ms"), retryAfter: header("retry-after"), now: now)
        let shouldRetry: Bool? = switch header("x-should-retry")?.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
        var message = envelope?.message ?? fallbackMessage(status: status, body: body)
        message = Secret.redact(message, secrets: secrets)
        let code = envelope?.code
        let type = envelope?.type
        let kind: Kind
        switch status {
        case 401: kind = .authentication
        case 403: kind = .permissionDenied
        case 404: kind = .notFound
        case 408: kind = .timeout
        case 409: kind = .conflict
        case 429:
            kind = isQuota(code: code, type: type, message: message) ? .quotaExceeded : .rateLimited(retryAfter: retryAfter)
        case 500...: kind = .server
        default: kind = .invalidRequest
        }
        return APIError(
            kind: kind, statusCode: status, code: code, message: message, type: type,
            param: envelope?.param.map { Secret.redact($0, secrets: secrets) },
            requestID: header("x-request-id"), method: method, path: path,
            serverSaysRetry: shouldRetry, retryAfterHeader: retryAfter)
    }

    /// Whether a 429 is about quota or billing rather than rate.
    static func isQuota(code: String?, type: String?, message: String) -> Bool {
        if code == "insufficient_quota" || type == "insufficient_quota" || code == "billing_hard_limit_reached" {
            return true
        }
        let m = message.lowercased()
        return m.contains("quota") || m.contains("billing")
    }

    private static func fallbackMessage(status: Int, body: Data) -> String {
        let reason = HTTPURLResponse.localizedString(forStatusCode: status)
        // A non-JSON body (an HTML proxy page) is summarised, not dumped: it can be huge and full of markup.
        guard let text = String(data: body.prefix(200), encoding: .utf8)?
            .trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
        else { return reason }
        let oneLine = text.replacingOccurrences(of: "\n", with: " ")
        return "\(reason); body starts: \(oneLine)\(body.count > 200 ? "..." : "")"
    }
}
