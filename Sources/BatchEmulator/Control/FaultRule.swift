/// One fault to inject into matching requests, for testing how clients cope.
public struct FaultRule: Sendable, Equatable {
    /// What goes wrong.
    public enum Kind: Sendable, Equatable {
        /// Answer with this status and the standard error body; 429 carries `Retry-After` when given (seconds).
        case status(Int, retryAfter: Int? = nil)
        /// Wait this long (real milliseconds) before handling the request normally.
        case latency(milliseconds: Int)
        /// Close the connection without any response.
        case dropConnection
        /// Handle the request, then send a truncated, unparseable JSON body with status 200.
        case malformedBody
        /// Only `POST /v1/batches`: create the batch, then lose the response: a dropped connection, or this status.
        case lostResponse(status: Int? = nil)
    }

    /// What goes wrong.
    public var kind: Kind
    /// The endpoint it applies to, as `METHOD /path` with `{id}` placeholders (e.g. `GET /v1/batches/{id}`);
    /// nil means every API endpoint.
    public var endpoint: String?
    /// How many matching requests it hits before it disappears; nil means until cleared.
    public var count: Int?

    /// A rule hitting `count` requests to `endpoint` (nil: any) with `kind`.
    public init(_ kind: Kind, endpoint: String? = nil, count: Int? = 1) {
        self.kind = kind; self.endpoint = endpoint; self.count = count
    }

    var json: JSON {
        var pairs: [(String, JSON)] = []
        switch kind {
        case .status(let status, let retryAfter):
            pairs = [("kind", .string("status")), ("status", .int(status)), ("retry_after", retryAfter.map { .int($0) } ?? .null)]
        case .latency(let ms): pairs = [("kind", .string("latency")), ("milliseconds", .int(ms))]
        case .dropConnection: pairs = [("kind", .string("drop"))]
        case .malformedBody: pairs = [("kind", .string("malformed"))]
        case .lostResponse(let status): pairs = [("kind", .string("lost_response")), ("status", status.map { .int($0) } ?? .null)]
        }
        pairs.append(("endpoint", .string(endpoint)))
        pairs.append(("count", count.map { .int($0) } ?? .null))
        return .object(pairs)
    }

    /// Parses the control API's JSON form: `{"kind": "status"|"latency"|"drop"|"malformed"|"lost_response", ...}`.
    static func parse(_ object: [String: Any]) throws(APIError) -> FaultRule {
        let endpoint = object["endpoint"] as? String
        let count = object["count"] as? Int
        let rule: Kind
        switch object["kind"] as? String {
        case "status":
            guard let status = object["status"] as? Int, (400...599).contains(status) else {
                throw .invalid("A status fault needs 'status' between 400 and 599.", param: "status")
            }
            rule = .status(status, retryAfter: object["retry_after"] as? Int)
        case "latency":
            guard let ms = object["milliseconds"] as? Int, ms >= 0, ms <= 120_000 else {
                throw .invalid("A latency fault needs 'milliseconds' between 0 and 120000.", param: "milliseconds")
            }
            rule = .latency(milliseconds: ms)
        case "drop": rule = .dropConnection
        case "malformed": rule = .malformedBody
        case "lost_response": rule = .lostResponse(status: object["status"] as? Int)
        default:
            throw .invalid("Unknown fault kind; use status, latency, drop, malformed or lost_response.", param: "kind")
        }
        return FaultRule(rule, endpoint: endpoint, count: count)
    }
}
