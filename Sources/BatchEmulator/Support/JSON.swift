import Foundation

/// A JSON value the emulator writes itself, keys in the order given.
///
/// Rule: the emulator never reuses the client's wire types, why: a shared encoder would let the client and the
/// emulator agree on the same mistake. Key order is kept so responses read like the live service's.
public enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// Already-encoded JSON text, spliced in verbatim (cached batch objects, exact decimals).
    case raw(String)

    /// Equal when the encodings are equal.
    public static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.encoded() == rhs.encoded() }

    /// Shorthand for an integer value.
    public static func int(_ value: Int) -> JSON { .int(Int64(value)) }

    /// A string or `null`.
    public static func string(_ value: String?) -> JSON { value.map { .string($0) } ?? .null }

    /// An integer or `null`.
    public static func int(_ value: Int64?) -> JSON { value.map { .int($0) } ?? .null }

    /// The compact UTF-8 encoding.
    public func encoded() -> String {
        var out = ""
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// The compact encoding as bytes.
    public func data() -> Data { Data(encoded().utf8) }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value):
            if value.isFinite {
                if value == value.rounded(), abs(value) < 1e15 { out += String(Int64(value)) + ".0" } else { out += "\(value)" }
            } else { out += "null" }
        case .string(let value): JSON.writeString(value, to: &out)
        case .raw(let text): out += text
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(pair.0, to: &out)
                out += ":"
                pair.1.write(to: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ value: String, to out: inout String) {
        out += "\""
        // Copy runs of plain bytes whole; only the bytes JSON must escape are written one by one. Every
        // escaped byte is ASCII, so run boundaries are scalar boundaries (not always character ones: "\r\n").
        let bytes = value.utf8
        var run = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            guard byte < 0x20 || byte == 0x22 || byte == 0x5C else {
                index = bytes.index(after: index)
                continue
            }
            out += Substring(bytes[run..<index])
            switch byte {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            default: out += "\\u00" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
            index = bytes.index(after: index)
            run = index
        }
        out += Substring(bytes[run..<index])
        out += "\""
    }

    private static let hexDigits = Array("0123456789abcdef")

    /// An exact decimal number from integer micro-units (e.g. micro-dollars -> `0.060312`), no float rounding.
    public static func decimal(micros: Int64) -> JSON {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let whole = magnitude / 1_000_000
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") && fraction.count > 1 { fraction.removeLast() }
        return .raw("\(sign)\(whole).\(fraction)")
    }
}
