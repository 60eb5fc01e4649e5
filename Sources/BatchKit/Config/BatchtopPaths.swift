import Foundation

/// Where batchtop keeps its configuration, database and state, each with where that choice came from.
///
/// XDG base directories: config `$XDG_CONFIG_HOME/batchtop` (default `~/.config/batchtop`), data
/// `$XDG_DATA_HOME/batchtop` (default `~/.local/share/batchtop`), state `$XDG_STATE_HOME/batchtop`
/// (default `~/.local/state/batchtop`). `BATCHTOP_CONFIG_DIR` replaces the config directory, `--config`
/// names the file itself.
public struct BatchtopPaths: Sendable, Hashable {
    /// The directory holding config.toml (and, later, themes).
    public var configDirectory: Sourced<URL>
    /// The config file, which may not exist.
    public var configFile: Sourced<URL>
    /// The data directory (database, downloaded result files).
    public var dataDirectory: Sourced<URL>
    /// The state directory (logs, UI state).
    public var stateDirectory: Sourced<URL>
    /// The SQLite database.
    public var database: Sourced<URL>

    /// The key that signs the audit chain (`<state dir>/audit.key`, created on first use, mode 0600).
    ///
    /// Rule: it lives outside the database, in the state directory, why: whoever can rewrite the
    /// database must not also hold the key that signs it.
    public var auditKey: Sourced<URL> {
        Sourced(stateDirectory.value.appendingPathComponent(Self.auditKeyFileName), .derived("state directory"))
    }

    /// The audit key's file name inside the state directory.
    public static let auditKeyFileName = "audit.key"

    /// The database file name inside the data directory.
    public static let databaseFileName = "batchtop.sqlite"
    /// The config file name inside the config directory.
    public static let configFileName = "config.toml"

    /// Resolves the config file location from the flag and the environment (the file is read later).
    static func configLocation(
        flag: String?, environment: [String: String], home: URL, cwd: URL
    ) -> (directory: Sourced<URL>, file: Sourced<URL>) {
        if let flag, !flag.isEmpty {
            let file = absolute(flag, cwd: cwd, home: home)
            let dir = Sourced(file.deletingLastPathComponent(), .flag("--config"))
            return (dir, Sourced(file, .flag("--config")))
        }
        let dir: Sourced<URL>
        if let custom = environment["BATCHTOP_CONFIG_DIR"], !custom.isEmpty {
            dir = Sourced(absolute(custom, cwd: cwd, home: home), .environment("BATCHTOP_CONFIG_DIR"))
        } else {
            dir = xdg("XDG_CONFIG_HOME", fallback: ".config", environment: environment, home: home)
        }
        let file = Sourced(dir.value.appendingPathComponent(configFileName), dir.source)
        return (dir, file)
    }

    /// `$VAR/batchtop` when `VAR` is an absolute path, else `~/<fallback>/batchtop`.
    ///
    /// Rule: a relative `XDG_*` value is ignored, why: the XDG spec says so, and a relative database path
    /// would change with the working directory.
    static func xdg(_ variable: String, fallback: String, environment: [String: String], home: URL) -> Sourced<URL> {
        if let value = environment[variable], value.hasPrefix("/") {
            return Sourced(URL(fileURLWithPath: value).appendingPathComponent("batchtop"), .environment(variable))
        }
        return Sourced(home.appendingPathComponent(fallback).appendingPathComponent("batchtop"), .builtInDefault)
    }

    /// An absolute file URL for `path`, expanding a leading `~/` and resolving relative paths against `cwd`.
    static func absolute(_ path: String, cwd: URL, home: URL) -> URL {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home.appendingPathComponent(String(path.dropFirst(2))).standardizedFileURL }
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return cwd.appendingPathComponent(path).standardizedFileURL
    }
}
