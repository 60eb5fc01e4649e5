/// Text that is safe to write to a terminal: no escape sequence, no C0 control other than newline
/// and tab, no DEL, no C1 control, no bidirectional control.
///
/// Rule: the executable's one writer (`Console`) accepts only `SafeText`, and a `SafeText` can only be
/// made by sanitizing (`UntrustedText`) or by escaping JSON (`TerminalSafeJSON`), why: then no code
/// path can print provider data raw, by construction rather than by care at each call site.
///
/// A string literal with interpolations builds one: literals keep their lines, and every interpolated
/// `String` (or anything `CustomStringConvertible`) is sanitized to one line on the way in, so
/// `"job \(id): \(message)"` cannot smuggle an escape or forge a second line. Use
/// `\(value, limit: n)` to bound a value shown in a human table, `\(lines: text)` for a trusted block
/// of several lines (still sanitized), and `\(safe)` for a `SafeText` built elsewhere.
public struct SafeText: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The sanitized text.
    public private(set) var text: String

    /// Untrusted text shown as one line (controls removed, newlines and tabs become spaces).
    public init(_ untrusted: String) { text = UntrustedText.sanitized(untrusted) }

    /// Untrusted text cut to `limit` characters with an ellipsis, as one line.
    public init(_ untrusted: String, limit: Int) { text = UntrustedText.singleLine(untrusted, limit: limit) }

    /// Untrusted text of several lines: newlines and tabs are kept, everything else is sanitized.
    public init(lines untrusted: String) { text = UntrustedText.sanitizedLines(untrusted) }

    /// Text already known to be clean (JSON after `TerminalSafeJSON`); only this module makes it.
    init(verified: String) { text = verified }

    public init(stringLiteral value: String) { text = UntrustedText.sanitizedLines(value) }

    public init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    public var description: String { text }

    /// Whether there is no text at all.
    public var isEmpty: Bool { text.isEmpty }

    /// Joins safe pieces with a safe separator.
    public static func joined(_ parts: [SafeText], separator: SafeText = "") -> SafeText {
        SafeText(verified: parts.map(\.text).joined(separator: separator.text))
    }

    public static func + (lhs: SafeText, rhs: SafeText) -> SafeText { SafeText(verified: lhs.text + rhs.text) }

    public static func += (lhs: inout SafeText, rhs: SafeText) { lhs.text += rhs.text }

    /// Builds a `SafeText` from a literal: literal parts keep their lines, values are sanitized.
    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + 16 * interpolationCount) }

        public mutating func appendLiteral(_ literal: String) { text += UntrustedText.sanitizedLines(literal) }

        /// A value, sanitized to one line.
        public mutating func appendInterpolation(_ value: String) { text += UntrustedText.sanitized(value) }

        /// A value, sanitized to one line and cut to `limit` characters.
        public mutating func appendInterpolation(_ value: String, limit: Int) { text += UntrustedText.singleLine(value, limit: limit) }

        /// A block of several lines, sanitized with its newlines kept.
        public mutating func appendInterpolation(lines value: String) { text += UntrustedText.sanitizedLines(value) }

        /// Text already made safe.
        public mutating func appendInterpolation(_ value: SafeText) { text += value.text }

        /// A number.
        public mutating func appendInterpolation<T: BinaryInteger>(_ value: T) { text += String(value) }

        /// Anything else that describes itself (an id type, an enum, an error), sanitized to one line.
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T) {
            text += UntrustedText.sanitized(value.description)
        }

        /// Anything that describes itself, sanitized to one line and cut to `limit` characters.
        public mutating func appendInterpolation<T: CustomStringConvertible>(_ value: T, limit: Int) {
            text += UntrustedText.singleLine(value.description, limit: limit)
        }
    }
}
