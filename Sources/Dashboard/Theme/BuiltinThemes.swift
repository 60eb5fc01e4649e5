/// The themes compiled into the binary: `default`, `light`, `terminal`, `mono`, `colorblind`.
public enum BuiltinThemes {
    /// The name of the theme every other inherits from.
    public static let defaultName = "default"
    /// The name of the colourless theme used for `NO_COLOR` and `--no-color`.
    public static let monoName = "mono"

    /// Built-in theme names in display order.
    public static var names: [String] { BuiltinThemeSources.all.map(\.name) }

    /// The TOML text of a built-in theme.
    public static func source(named name: String) -> String? {
        BuiltinThemeSources.all.first { $0.name == name }?.toml
    }

    /// The default (dark) theme; the base of every other.
    public static let `default`: Theme = {
        // The embedded source is checked by tests, so a parse failure here is a build defect.
        (try? ThemeParser.parse(name: defaultName, toml: source(named: defaultName)!, base: nil))
            ?? Theme(name: defaultName, styles: [:], warnings: ["built-in default theme failed to parse"])
    }()

    /// The colourless theme.
    public static let mono: Theme = named(monoName)!

    /// A built-in theme by name, inheriting from default; nil when there is none by that name.
    public static func named(_ name: String) -> Theme? {
        if name == defaultName { return `default` }
        guard let toml = source(named: name) else { return nil }
        return try? ThemeParser.parse(name: name, toml: toml, base: `default`)
    }
}
