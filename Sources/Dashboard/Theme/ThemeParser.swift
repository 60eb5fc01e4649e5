import BatchKit
import TOMLKit

/// Reads a theme from TOML text; the caller reads the file (Dashboard does no I/O).
///
/// Accepted shapes: `token = "colour"` (a foreground), `token = { fg = "...", bg = "...", bold = true }`,
/// and sections such as `[status]` whose keys complete the token name (`status.failed`).
/// Missing tokens are inherited from `base` (normally the default theme); unknown keys and bad
/// values become warnings, never failures, so a half-right theme still starts.
public enum ThemeParser {
    /// Parses `toml` into a theme called `name`, inheriting from `base`.
    public static func parse(name: String, toml: String, base: Theme?) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do throws(TOMLSyntaxError) {
            table = try TOMLText.parse(toml)
        } catch {
            throw ThemeError(theme: name, message: "invalid TOML at line \(error.line), column \(error.column): \(error.message)")
        }
        var theme = base ?? Theme(name: name, styles: [:])
        theme.name = name
        theme.warnings = []
        theme.summary = ""
        walk(table, prefix: "", into: &theme)
        return theme
    }

    private static func walk(_ table: TOMLTable, prefix: String, into theme: inout Theme) {
        for (key, value) in table {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if prefix.isEmpty && (key == "name" || key == "description") {
                if key == "description", let s = value.string { theme.summary = s }
                continue
            }
            if let token = ThemeToken(rawValue: path) {
                if let style = style(from: value, path: path, theme: &theme) { theme.styles[token] = style }
            } else if let sub = value.table {
                walk(sub, prefix: path, into: &theme)
            } else {
                theme.warnings.append("theme \(theme.name): unknown key '\(path)' ignored (see themes/default.toml for the token names)")
            }
        }
    }

    private static func style(from value: TOMLValueConvertible, path: String, theme: inout Theme) -> ThemeStyle? {
        if let s = value.string {
            guard let c = ColorSpec(parsing: s) else {
                theme.warnings.append(badColor(s, path: path, theme: theme.name))
                return nil
            }
            return ThemeStyle(fg: c)
        }
        if let n = value.int {
            guard (0...255).contains(n) else {
                theme.warnings.append(badColor(String(n), path: path, theme: theme.name))
                return nil
            }
            return ThemeStyle(fg: .indexed(UInt8(n)))
        }
        guard let t = value.table else {
            theme.warnings.append("theme \(theme.name): '\(path)' must be a colour string or a table, ignored")
            return nil
        }
        var style = ThemeStyle()
        for (k, v) in t {
            switch k {
            case "fg", "bg":
                let text = v.string ?? v.int.map(String.init) ?? ""
                guard let c = ColorSpec(parsing: text) else {
                    theme.warnings.append(badColor(text, path: path + "." + k, theme: theme.name))
                    continue
                }
                if k == "fg" { style.fg = c } else { style.bg = c }
            default:
                if let attr = TextAttributes.named.first(where: { $0.0 == k })?.1 {
                    if v.bool == true { style.attributes.insert(attr) }
                } else {
                    theme.warnings.append("theme \(theme.name): unknown key '\(path).\(k)' ignored (use fg, bg, bold, dim, underline, reverse, italic)")
                }
            }
        }
        return style
    }

    private static func badColor(_ text: String, path: String, theme: String) -> String {
        "theme \(theme): '\(path)' has bad colour '\(text)', inherited instead (use default, 0-255, an ANSI name or #rrggbb)"
    }
}

/// A theme that could not be read at all.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The theme's name or path.
    public var theme: String
    /// What is wrong and how to fix it.
    public var message: String

    public init(theme: String, message: String) { self.theme = theme; self.message = message }

    public var description: String { "theme \(theme): \(message)" }
}
