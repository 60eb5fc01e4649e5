/// Text attributes a cell can carry besides colour.
public struct TextAttributes: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The attribute bits.
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold (or bright) text.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Dim text.
    public static let dim = TextAttributes(rawValue: 1 << 1)
    /// Underlined text.
    public static let underline = TextAttributes(rawValue: 1 << 2)
    /// Foreground and background swapped.
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    /// Italic text, where the terminal has it.
    public static let italic = TextAttributes(rawValue: 1 << 4)

    /// Attribute names as themes spell them, in a stable order.
    public static let named: [(String, TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline), ("reverse", .reverse), ("italic", .italic),
    ]

    public var description: String {
        Self.named.filter { contains($0.1) }.map(\.0).joined(separator: "+")
    }
}
