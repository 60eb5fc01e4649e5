/// A colour theme: a style for each semantic token, as written in a `themes/*.toml` file.
public struct Theme: Hashable, Sendable {
    /// The theme's name (its file name without `.toml`).
    public var name: String
    /// A one-line description shown by `batchtop themes`.
    public var summary: String
    /// The style of each token; tokens a file leaves out are inherited from the default theme.
    public var styles: [ThemeToken: ThemeStyle]
    /// Problems found while parsing (unknown keys, bad values); the theme is still usable.
    public var warnings: [String]

    public init(name: String, summary: String = "", styles: [ThemeToken: ThemeStyle], warnings: [String] = []) {
        self.name = name; self.summary = summary; self.styles = styles; self.warnings = warnings
    }

    /// The resolved palette at the terminal's colour depth.
    ///
    /// Rule: a terminal without colour always gets the `mono` theme, why: a colour theme's
    /// selection and warnings would otherwise be invisible; mono expresses them with attributes.
    public func palette(depth: ColorDepth) -> Palette {
        if depth == .none && name != BuiltinThemes.monoName {
            return BuiltinThemes.mono.palette(depth: .none)
        }
        return Palette(theme: self, depth: depth)
    }
}

/// What a theme says about one token: optional colours plus attributes.
public struct ThemeStyle: Hashable, Sendable, CustomStringConvertible {
    /// Foreground; nil inherits the theme's `fg`.
    public var fg: ColorSpec?
    /// Background; nil inherits the theme's `bg`.
    public var bg: ColorSpec?
    /// Attributes added to the colours.
    public var attributes: TextAttributes

    public init(fg: ColorSpec? = nil, bg: ColorSpec? = nil, attributes: TextAttributes = []) {
        self.fg = fg; self.bg = bg; self.attributes = attributes
    }

    public var description: String {
        var parts: [String] = []
        if let fg { parts.append("fg=\(fg)") }
        if let bg { parts.append("bg=\(bg)") }
        if !attributes.isEmpty { parts.append(attributes.description) }
        return parts.joined(separator: " ")
    }
}

/// A theme resolved for one terminal: a `CellStyle` per token, looked up by array index.
public struct Palette: Hashable, Sendable {
    /// The name of the theme it came from.
    public let themeName: String
    /// The colour depth it was resolved for.
    public let depth: ColorDepth
    private let styles: [CellStyle]

    init(theme: Theme, depth: ColorDepth) {
        themeName = theme.name
        self.depth = depth
        let base = theme.styles[.fg] ?? ThemeStyle()
        let baseBG = theme.styles[.bg]?.bg ?? theme.styles[.bg]?.fg ?? base.bg ?? .terminalDefault
        let baseFG = base.fg ?? .terminalDefault
        styles = ThemeToken.allCases.map { token in
            let s = theme.styles[token] ?? ThemeStyle()
            let fg = (token == .bg ? baseFG : (s.fg ?? baseFG)).resolved(for: depth)
            let bg = (s.bg ?? baseBG).resolved(for: depth)
            return CellStyle(fg: fg, bg: bg, attributes: s.attributes)
        }
    }

    /// The style for a token.
    @inlinable
    public subscript(_ token: ThemeToken) -> CellStyle { style(token) }

    /// The style for a token.
    public func style(_ token: ThemeToken) -> CellStyle { styles[ThemeToken.ordinals[token]!] }

    /// The style for a provider status.
    public func status(_ raw: String) -> CellStyle { style(.status(raw)) }

    /// The colour of a token as a foreground over the base background (for text inside a row).
    public func fgOnly(_ token: ThemeToken, over base: CellStyle) -> CellStyle {
        let s = style(token)
        return CellStyle(fg: s.fg, bg: base.bg, attributes: base.attributes.union(s.attributes))
    }
}
