import ArgumentParser
import BatchKit
import Foundation

/// `--db PATH`, shared by every command that reads or writes the local database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database to use.", valueName: "path"))
    var db: String?

    /// The database path: `--db`, else the configured one (`[paths] database`, else the XDG data directory).
    func url() throws -> URL {
        if let db { return URL(fileURLWithPath: (db as NSString).expandingTildeInPath) }
        return try ConfigLoader().load().paths.database.value
    }

    /// Opens a database that must already exist (read commands do not create an empty one).
    func openExisting() throws -> BatchStore {
        let url = try url()
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CommandFailure("no database at \(url.path) yet; run `batchtop sync` first, or pass --db PATH")
        }
        return try BatchStore(url: url)
    }
}

/// A command failure with a message meant for the person at the terminal (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
