/// The symbols the renderer draws with: Unicode by default, plain ASCII with `--ascii`.
public struct GlyphSet: Hashable, Sendable {
    public var barFull: Character
    public var barEmpty: Character
    public var barFailed: Character
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var ellipsis: String
    public var mark: Character
    public var changed: Character
    public var arrowUp: String
    public var arrowDown: String
    public var arrowRight: String
    public var sparks: [Character]
    public var warning: String
    private var statusGlyphs: [String: Character]
    public var unknownStatus: Character

    /// The glyph for a provider status (never shown alone: always next to the word).
    public func status(_ raw: String) -> Character { statusGlyphs[raw] ?? unknownStatus }

    /// Box drawing, blocks and symbols; all single-width so layouts match in every terminal.
    public static let unicode = GlyphSet(
        barFull: "█", barEmpty: "░", barFailed: "▓", horizontal: "─", vertical: "│", topLeft: "┌",
        topRight: "┐", bottomLeft: "└", bottomRight: "┘", ellipsis: "…", mark: "●", changed: "•",
        arrowUp: "▲", arrowDown: "▼", arrowRight: "→", sparks: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        warning: "⚠",
        statusGlyphs: [
            "validating": "◌", "in_progress": "▶", "finalizing": "◍", "completed": "✓", "failed": "✗",
            "expired": "⌀", "cancelling": "◐", "cancelled": "⊘",
        ],
        unknownStatus: "?")

    /// Seven-bit ASCII only, for `--ascii` and terminals without Unicode fonts.
    public static let ascii = GlyphSet(
        barFull: "#", barEmpty: ".", barFailed: "x", horizontal: "-", vertical: "|", topLeft: "+",
        topRight: "+", bottomLeft: "+", bottomRight: "+", ellipsis: "~", mark: "*", changed: "+",
        arrowUp: "^", arrowDown: "v", arrowRight: "->", sparks: ["_", ".", "-", "=", "+", "*", "#", "@"],
        warning: "!",
        statusGlyphs: [
            "validating": "~", "in_progress": ">", "finalizing": "=", "completed": "+", "failed": "x",
            "expired": "!", "cancelling": "-", "cancelled": "/",
        ],
        unknownStatus: "?")
}
