/// An error the emulator answers with, in the live service's shape `{"error": {message, type, param, code}}`.
public struct APIError: Error, Sendable, Equatable {
    /// HTTP status.
    public var status: Int
    /// Human-readable message.
    public var message: String
    /// `invalid_request_error`, `server_error`, `rate_limit_exceeded`, ...
    public var type: String
    /// The request parameter at fault, if any.
    public var param: String?
    /// A machine-readable code, if any.
    public var code: String?

    /// An error answer with the given fields.
    public init(status: Int, message: String, type: String = "invalid_request_error", param: String? = nil, code: String? = nil) {
        self.status = status; self.message = message; self.type = type; self.param = param; self.code = code
    }

    /// The response body.
    public var body: JSON {
        .object([("error", .object([
            ("message", .string(message)), ("type", .string(type)),
            ("param", .string(param)), ("code", .string(code)),
        ]))])
    }

    static func invalid(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: 400, message: message, param: param, code: code)
    }

    static func notFound(_ message: String, param: String? = nil) -> APIError {
        APIError(status: 404, message: message, param: param)
    }

    static func missing(_ param: String) -> APIError {
        .invalid("Missing required parameter: '\(param)'.", param: param, code: "missing_required_parameter")
    }
}
