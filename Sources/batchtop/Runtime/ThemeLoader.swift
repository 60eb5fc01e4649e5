import BatchKit
import Dashboard
import Foundation

/// Finds and reads themes: user files first, then the built-ins; decides mono for NO_COLOR.
///
/// Lookup order for a name: `$BATCHTOP_CONFIG_DIR/themes/<name>.toml`, else
/// `$XDG_CONFIG_HOME/batchtop/themes/<name>.toml` (`~/.config/...` when unset), else the built-in.
/// A value containing `/` or ending in `.toml` is read as a path.
struct ThemeLoader {
    /// Where a theme came from.
    struct Found: Hashable {
        var name: String
        /// "built-in" or the file path.
        var location: String
    }

    var environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) { self.environment = environment }

    /// User theme directories, most specific first.
    var directories: [URL] {
        var dirs: [URL] = []
        if let d = environment["BATCHTOP_CONFIG_DIR"], !d.isEmpty {
            dirs.append(URL(fileURLWithPath: d).appendingPathComponent("themes"))
        } else {
            let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? (environment["HOME"].map { $0 + "/.config" } ?? ".config")
            dirs.append(URL(fileURLWithPath: base).appendingPathComponent("batchtop/themes"))
        }
        return dirs
    }

    /// Whether colour is off: `--no-color`, or `NO_COLOR` set to anything non-empty (no-color.org).
    func colorDisabled(flag: Bool) -> Bool {
        flag || !(environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Every theme available, user files shadowing built-ins of the same name.
    func available() -> [Found] {
        var found: [String: Found] = [:]
        for name in BuiltinThemes.names { found[name] = Found(name: name, location: "built-in") }
        for dir in directories.reversed() {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for f in files where f.hasSuffix(".toml") {
                let name = String(f.dropLast(5))
                found[name] = Found(name: name, location: dir.appendingPathComponent(f).path)
            }
        }
        let order = BuiltinThemes.names
        return found.values.sorted { a, b in
            let ia = order.firstIndex(of: a.name) ?? Int.max, ib = order.firstIndex(of: b.name) ?? Int.max
            return ia != ib ? ia < ib : a.name < b.name
        }
    }

    /// The theme to use: mono when colour is off, else `--theme`, `BATCHTOP_THEME`, the config's
    /// choice, or default. Warnings (unknown keys, bad values) are in `Theme.warnings`.
    func load(flag: String?, configured: String?, noColor: Bool) throws(ThemeError) -> Theme {
        if colorDisabled(flag: noColor) { return BuiltinThemes.mono }
        let requested = flag ?? environment["BATCHTOP_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? configured ?? BuiltinThemes.defaultName
        if requested.contains("/") || requested.hasSuffix(".toml") {
            return try read(path: requested, name: URL(fileURLWithPath: requested).deletingPathExtension().lastPathComponent)
        }
        for dir in directories {
            let path = dir.appendingPathComponent(requested + ".toml").path
            if FileManager.default.fileExists(atPath: path) { return try read(path: path, name: requested) }
        }
        if let builtin = BuiltinThemes.named(requested) { return builtin }
        throw ThemeError(
            theme: requested,
            message: "no such theme; available: \(available().map(\.name).joined(separator: ", ")) (or give a path to a .toml file)")
    }

    private func read(path: String, name: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(theme: path, message: "cannot read the file: \(SystemErrorText.reason(error))")
        }
        return try ThemeParser.parse(name: name, toml: text, base: BuiltinThemes.default)
    }
}
