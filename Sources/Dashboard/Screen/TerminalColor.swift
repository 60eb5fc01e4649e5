/// A colour the terminal can show: its default colour or an index into its palette (0-255).
///
/// Rule: themes are resolved to this before rendering, why: the renderer and the diff compare
/// small integers instead of re-resolving `#rrggbb` values for every cell.
public struct TerminalColor: Hashable, Sendable, CustomStringConvertible {
    /// -1 for the terminal's default colour, else a palette index 0-255.
    public let index: Int16

    /// The terminal's own default foreground or background.
    public static let `default` = TerminalColor(rawIndex: -1)

    private init(rawIndex: Int16) { index = rawIndex }

    /// A palette colour; 0-15 are the ANSI colours, 16-255 the xterm extension.
    public init(_ paletteIndex: UInt8) { index = Int16(paletteIndex) }

    /// Whether this is the terminal's default colour.
    public var isDefault: Bool { index < 0 }

    public var description: String { isDefault ? "default" : String(index) }
}
