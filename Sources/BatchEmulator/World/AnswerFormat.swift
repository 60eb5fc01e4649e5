import Foundation

/// What shape an answer must have: prose, any JSON object, or an instance of a JSON Schema.
///
/// Read from `response_format` (chat completions) or `text.format` (Responses API) and checked as the service
/// checks them, so a client that sends a malformed format gets the service's 400, not prose.
enum AnswerFormat: Sendable, Equatable {
    case text
    case jsonObject
    case jsonSchema(ResponseSchema)

    /// The format a request body asks for on `endpoint`.
    static func of(_ body: [String: Any], endpoint: String) throws(APIError) -> AnswerFormat {
        switch endpoint {
        case "/v1/chat/completions":
            guard let raw = body["response_format"], !(raw is NSNull) else { return .text }
            let format = try parse(raw, param: "response_format", schemaKey: "json_schema")
            if format == .jsonObject, !mentionsJSON(body["messages"]) {
                throw APIError.invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
                                       param: "messages", code: "invalid_value")
            }
            return format
        case "/v1/responses":
            guard let text = body["text"], !(text is NSNull) else { return .text }
            guard let object = text as? [String: Any] else { throw typeError("text", expected: "an object", got: text) }
            guard let raw = object["format"], !(raw is NSNull) else { return .text }
            let format = try parse(raw, param: "text.format", schemaKey: nil)
            if format == .jsonObject, !mentionsJSON(body["input"]), !mentionsJSON(body["instructions"]) {
                throw APIError.invalid("Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.",
                                       param: "input", code: "invalid_value")
            }
            return format
        default:
            return .text
        }
    }

    /// Parses one format object. Chat nests the schema under `json_schema`; the Responses API flattens it.
    private static func parse(_ raw: Any, param: String, schemaKey: String?) throws(APIError) -> AnswerFormat {
        guard let object = raw as? [String: Any] else { throw typeError(param, expected: "an object", got: raw) }
        guard let type = object["type"] else { throw APIError.missing("\(param).type") }
        guard let name = type as? String else { throw typeError("\(param).type", expected: "a string", got: type) }
        switch name {
        case "text":
            return .text
        case "json_object":
            return .jsonObject
        case "json_schema":
            var container = object
            var prefix = param
            if let schemaKey {
                prefix = "\(param).\(schemaKey)"
                guard let nested = object[schemaKey], !(nested is NSNull) else { throw APIError.missing(prefix) }
                guard let inner = nested as? [String: Any] else { throw typeError(prefix, expected: "an object", got: nested) }
                container = inner
            }
            guard let schemaName = container["name"] else { throw APIError.missing("\(prefix).name") }
            guard let schemaNameText = schemaName as? String else {
                throw typeError("\(prefix).name", expected: "a string", got: schemaName)
            }
            guard !schemaNameText.isEmpty, schemaNameText.count <= 64,
                  schemaNameText.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw APIError.invalid("Invalid '\(prefix).name': must be 1 to 64 characters of a-z, A-Z, 0-9, underscores and dashes.",
                                       param: "\(prefix).name", code: "invalid_value")
            }
            var schema = JSONValue.object([:])
            if let raw = container["schema"], !(raw is NSNull) {
                guard raw is [String: Any], let value = JSONValue(any: raw) else {
                    throw typeError("\(prefix).schema", expected: "an object", got: raw)
                }
                schema = value
            }
            var strict = false
            if let raw = container["strict"], !(raw is NSNull) {
                guard let value = JSONValue(any: raw)?.bool else { throw typeError("\(prefix).strict", expected: "a boolean", got: raw) }
                strict = value
            }
            return .jsonSchema(ResponseSchema(name: schemaNameText, description: container["description"] as? String,
                                              schema: schema, strict: strict))
        default:
            throw APIError.invalid("Invalid value: '\(name.prefix(64))'. Supported values are: 'text', 'json_object' and 'json_schema'.",
                                   param: "\(param).type", code: "invalid_value")
        }
    }

    private static func typeError(_ param: String, expected: String, got value: Any) -> APIError {
        .invalid("Invalid type for '\(param)': expected \(expected), but got \(JSONValue(any: value)?.typeName ?? "a value") instead.",
                 param: param, code: "invalid_type")
    }

    /// Whether any string in `value` mentions JSON, the service's condition for JSON mode.
    private static func mentionsJSON(_ value: Any?) -> Bool {
        switch value {
        case let text as String: return text.range(of: "json", options: .caseInsensitive) != nil
        case let list as [Any]: return list.contains { mentionsJSON($0) }
        case let object as [String: Any]: return object.values.contains { mentionsJSON($0) }
        default: return false
        }
    }

    /// The format as the Responses API echoes it in `text.format`.
    var responsesJSON: JSON {
        switch self {
        case .text: return .object([("type", .string("text"))])
        case .jsonObject: return .object([("type", .string("json_object"))])
        case .jsonSchema(let schema):
            return .object([("type", .string("json_schema")), ("description", .string(schema.description)),
                            ("name", .string(schema.name)), ("schema", schema.schema.json), ("strict", .bool(schema.strict))])
        }
    }
}

/// A `json_schema` response format: the schema an answer must be an instance of.
struct ResponseSchema: Sendable, Equatable {
    var name: String
    var description: String?
    var schema: JSONValue
    /// Strict mode: the service then fills every property, not only the required ones.
    var strict: Bool
}
