import ArgumentParser
import BatchKit
import Foundation

/// `--db PATH`, shared by every command that reads or writes the local database.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database to use.", valueName: "path"))
    var db: String?

    /// Opens a database that must already exist (read commands do not create an empty one, nor change
    /// its mode), with the configured audit key; `--db` beats `[paths] database`, else the XDG data directory.
    ///
    /// The configuration is always loaded, why: the audit key's place (`[paths] state_dir`) comes from it.
    func openExisting(configFlag: String? = nil) throws -> BatchStore {
        let config = try exitOnConfigError { try loadConfiguration(configFlag: configFlag, databaseFlag: db) }
        return warnAboutFile(try BatchStore.openExisting(paths: config.paths))
    }
}

/// Prints the store's warning about its file (a mode other users can read), if any; returns the store.
@discardableResult
func warnAboutFile(_ store: BatchStore) -> BatchStore {
    if let warning = store.fileWarning { Console.warn("batchtop: warning: \(warning)") }
    return store
}

/// A command failure with a message meant for the person at the terminal (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
