/// The symbols the renderer draws with: Unicode by default, plain ASCII with `--ascii`.
public struct GlyphSet: Hashable, Sendable {
    /// A filled bar cell.
    public var barFull: Character
    /// An empty bar cell.
    public var barEmpty: Character
    /// A bar cell for failed requests.
    public var barFailed: Character
    /// Box drawing: horizontal line.
    public var horizontal: Character
    /// Box drawing: vertical line.
    public var vertical: Character
    /// Box corner.
    public var topLeft: Character
    /// Box corner.
    public var topRight: Character
    /// Box corner.
    public var bottomLeft: Character
    /// Box corner.
    public var bottomRight: Character
    /// Marks truncated text.
    public var ellipsis: String
    /// Marks a job for a bulk action.
    public var mark: Character
    /// Marks a row changed since the last poll.
    public var changed: Character
    /// Ascending sort, or up.
    public var arrowUp: String
    /// Descending sort, or down.
    public var arrowDown: String
    /// "moves to".
    public var arrowRight: String
    /// Sparkline levels, lowest first.
    public var sparks: [Character]
    /// Prefixes warnings (stale data, ETA past expiry).
    public var warning: String
    private var statusGlyphs: [String: Character]
    /// The glyph of a status the provider has not documented.
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
