import Foundation

/// A parsed JSON value the emulator keeps (schemas from requests), Sendable unlike `JSONSerialization`'s output.
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Converts a `JSONSerialization` value; `nil` for anything JSON cannot hold.
    init?(any value: Any) {
        switch value {
        case let object as [String: Any]:
            var pairs: [String: JSONValue] = [:]
            pairs.reserveCapacity(object.count)
            for (key, item) in object {
                guard let converted = JSONValue(any: item) else { return nil }
                pairs[key] = converted
            }
            self = .object(pairs)
        case let text as String:
            self = .string(text)
        case let number as NSNumber:
            // JSONSerialization marks booleans with objCType "c" and fractional numbers with "d"/"f".
            switch UInt8(bitPattern: number.objCType.pointee) {
            case UInt8(ascii: "c"), UInt8(ascii: "B"): self = .bool(number.boolValue)
            case UInt8(ascii: "d"), UInt8(ascii: "f"): self = .double(number.doubleValue)
            default: self = .int(number.int64Value)
            }
        case is NSNull:
            self = .null
        case let list as [Any]:
            var items: [JSONValue] = []
            items.reserveCapacity(list.count)
            for item in list {
                guard let converted = JSONValue(any: item) else { return nil }
                items.append(converted)
            }
            self = .array(items)
        default:
            return nil
        }
    }

    /// The value for writing; object keys sorted so the same value always encodes the same way.
    var json: JSON {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .string(let value): return .string(value)
        case .array(let items): return .array(items.map(\.json))
        case .object(let pairs): return .object(pairs.keys.sorted().map { ($0, pairs[$0]!.json) })
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs[key] }
        return nil
    }

    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var array: [JSONValue]? { if case .array(let value) = self { return value } else { return nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { return value } else { return nil } }
    var bool: Bool? { if case .bool(let value) = self { return value } else { return nil } }

    /// The value as a number, integers included.
    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The value as an integer: an integer, or a double with no fraction.
    var integer: Int64? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value == value.rounded() && abs(value) < 9e15: return Int64(value)
        default: return nil
        }
    }

    /// The JSON type name, as the service's error messages say it.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
