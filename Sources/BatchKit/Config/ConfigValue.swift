import Foundation
import TOMLKit

/// A TOML value copied out of TOMLKit into plain Sendable Swift, so parsed configuration can cross threads.
///
/// Sections batchtop does not interpret yet (`[approvals]`, `[routing]`, `[budgets]`, `[prices]`) are kept
/// in this form for the code that will own them.
public enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    /// Dates and times, kept as their TOML text.
    case dateTime(String)
    case array([ConfigValue])
    case table([String: ConfigValue])

    /// The TOML type name, for error messages.
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .dateTime: return "a date/time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    public var description: String {
        switch self {
        case .string(let s): return "\"\(s)\""
        case .integer(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        case .dateTime(let t): return t
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .table(let t): return "{" + t.keys.sorted().map { "\($0) = \(t[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// The string, if this is one.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The table, if this is one.
    public var tableValue: [String: ConfigValue]? { if case .table(let t) = self { return t } else { return nil } }
    /// The array, if this is one.
    public var arrayValue: [ConfigValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The boolean, if this is one.
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The integer, if this is one.
    public var integerValue: Int? { if case .integer(let i) = self { return i } else { return nil } }
    /// The number, if this is an integer or a float.
    public var numberValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Parses a TOML document into a table value.
    /// - Throws: `TOMLSyntaxError` with the line and column of the first syntax error.
    static func parse(toml text: String) throws(TOMLSyntaxError) -> [String: ConfigValue] {
        convert(try TOMLText.parse(text))
    }

    static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var out: [String: ConfigValue] = [:]
        for (key, value) in table { out[key] = convert(value) }
        return out
    }

    static func convert(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table: return .table(value.table.map(convert) ?? [:])
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .double(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .dateTime(value.debugDescription)
        }
    }
}
