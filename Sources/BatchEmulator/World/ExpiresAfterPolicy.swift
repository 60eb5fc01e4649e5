import Foundation

/// The file expiration policy of `POST /v1/files` (`expires_after`) and `POST /v1/batches`
/// (`output_expires_after`): anchor `created_at`, seconds between one hour and 30 days, checked as the service does.
enum ExpiresAfterPolicy {
    /// The seconds the service accepts.
    static let range: ClosedRange<Int64> = 3_600...2_592_000

    /// The policy's seconds from a JSON request body value (`param` names it in errors).
    static func seconds(json raw: Any, param: String) throws(APIError) -> Int64 {
        guard let object = raw as? [String: Any] else {
            throw APIError.invalid("Invalid type for '\(param)': expected an object, but got \(JSONValue(any: raw)?.typeName ?? "a value") instead.",
                                   param: param, code: "invalid_type")
        }
        return try seconds(anchor: object["anchor"].flatMap(JSONValue.init(any:)),
                           seconds: object["seconds"].flatMap(JSONValue.init(any:)), param: param)
    }

    /// The policy's seconds from multipart form fields, or `nil` when the upload sets none. Accepts the bracket
    /// names the official Python and Node SDKs send (`expires_after[anchor]`), the dotted names of the Go SDK
    /// (`expires_after.anchor`), and the whole policy as one JSON field.
    static func seconds(form fields: [String: String], param: String) throws(APIError) -> Int64? {
        if let whole = fields[param] {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(whole.utf8)) else {
                throw APIError.invalid("Invalid type for '\(param)': expected an object, but got a string instead.",
                                       param: param, code: "invalid_type")
            }
            return try seconds(json: parsed, param: param)
        }
        func field(_ name: String) -> JSONValue? {
            guard let text = fields["\(param)[\(name)]"] ?? fields["\(param).\(name)"] else { return nil }
            // Form values are text; a whole number is an integer, anything else stays a string.
            return Int64(text).map(JSONValue.int) ?? .string(text)
        }
        let anchor = field("anchor"), seconds = field("seconds")
        if anchor == nil, seconds == nil { return nil }
        return try self.seconds(anchor: anchor, seconds: seconds, param: param)
    }

    private static func seconds(anchor: JSONValue?, seconds: JSONValue?, param: String) throws(APIError) -> Int64 {
        guard let anchor else { throw APIError.missing("\(param).anchor") }
        guard let name = anchor.string else {
            throw APIError.invalid("Invalid type for '\(param).anchor': expected a string, but got \(anchor.typeName) instead.",
                                   param: "\(param).anchor", code: "invalid_type")
        }
        guard name == "created_at" else {
            throw APIError.invalid("Invalid value: '\(name.prefix(64))'. Supported values are: 'created_at'.",
                                   param: "\(param).anchor", code: "invalid_value")
        }
        guard let seconds else { throw APIError.missing("\(param).seconds") }
        guard case .int(let value) = seconds else {
            throw APIError.invalid("Invalid type for '\(param).seconds': expected an integer, but got \(seconds.typeName) instead.",
                                   param: "\(param).seconds", code: "invalid_type")
        }
        guard value >= range.lowerBound else {
            throw APIError.invalid("Invalid '\(param).seconds': integer below minimum value. Expected a value >= \(range.lowerBound), but got \(value) instead.",
                                   param: "\(param).seconds", code: "integer_below_min_value")
        }
        guard value <= range.upperBound else {
            throw APIError.invalid("Invalid '\(param).seconds': integer above maximum value. Expected a value <= \(range.upperBound), but got \(value) instead.",
                                   param: "\(param).seconds", code: "integer_above_max_value")
        }
        return value
    }
}
