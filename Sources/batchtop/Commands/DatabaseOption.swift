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

    /// Opens a database that must already exist (read commands do not create an empty one, nor change its mode).
    func openExisting() throws -> BatchStore {
        warnAboutFile(try BatchStore.openExisting(url: try url()))
    }
}

/// Prints the store's warning about its file (a mode other users can read), if any; returns the store.
@discardableResult
func warnAboutFile(_ store: BatchStore) -> BatchStore {
    if let warning = store.fileWarning { FileHandle.standardError.write(Data("batchtop: warning: \(warning)\n".utf8)) }
    return store
}

/// A command failure with a message meant for the person at the terminal (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
