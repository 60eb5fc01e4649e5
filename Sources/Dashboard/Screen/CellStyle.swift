/// The fully resolved look of one cell: colours at the terminal's depth plus attributes.
public struct CellStyle: Hashable, Sendable, CustomStringConvertible {
    /// Foreground (text) colour.
    public var fg: TerminalColor
    /// Background colour.
    public var bg: TerminalColor
    /// Bold, dim, underline, reverse, italic.
    public var attributes: TextAttributes

    public init(fg: TerminalColor = .default, bg: TerminalColor = .default, attributes: TextAttributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }

    /// The terminal's defaults with no attributes.
    public static let plain = CellStyle()

    /// This style with extra attributes.
    public func adding(_ extra: TextAttributes) -> CellStyle {
        var s = self
        s.attributes.formUnion(extra)
        return s
    }

    public var description: String {
        var s = "fg=\(fg) bg=\(bg)"
        if !attributes.isEmpty { s += " \(attributes)" }
        return s
    }
}
