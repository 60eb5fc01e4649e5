import ArgumentParser
import BatchKit
import Foundation

/// `--db PATH`, shared by every command that reads or writes the local database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database to use.", valueName: "path"))
    var db: String?

    /// The database path: `--db`, else the default data path.
    func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let db { return URL(fileURLWithPath: (db as NSString).expandingTildeInPath) }
        return DefaultDatabasePath.url(environment: environment)
    }

    /// Opens a database that must already exist (read commands do not create an empty one).
    func openExisting() throws -> BatchStore {
        let url = url()
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("no database at \(url.path) yet; run `batchtop sync` first, or pass --db PATH")
        }
        return try BatchStore(url: url)
    }
}

/// The default database location until the config module resolves it.
///
/// `$XDG_DATA_HOME/batchtop/batchtop.sqlite`, falling back to `~/.local/share/batchtop/batchtop.sqlite`.
/// The integrator replaces this with the config helper's resolver (which also honours `config.toml`).
enum DefaultDatabasePath {
    static func url(environment: [String: String]) -> URL {
        let base: URL
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            base = URL(fileURLWithPath: xdg, isDirectory: true)
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            base = home.appendingPathComponent(".local/share", isDirectory: true)
        }
        return base.appendingPathComponent("batchtop/batchtop.sqlite")
    }
}

/// A command failure with a message meant for the person at the terminal (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
