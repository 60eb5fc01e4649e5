import Foundation

/// Why the store refused to open or to write, with the path and what to do about it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database carries a schema this build does not know.
    case newerSchema(path: String, found: Int, known: Int)
    /// The file exists but is not an SQLite database (or is damaged beyond opening).
    case notADatabase(path: String, detail: String)
    /// The file or its directory could not be created or secured.
    case fileSetup(path: String, detail: String)
    /// A command that only reads found no database at the path.
    case missing(path: String)
    /// The database or a directory on its path cannot be reached by this user.
    case permissionDenied(path: String, detail: String)
    /// Another process holds the poller lease; the write was not made.
    case leaseLost(holder: String, expiresAt: Int64)
    /// A database operation failed.
    case sqlite(operation: String, detail: String)

    public var description: String {
        switch self {
        case let .newerSchema(path, found, known):
            return "database \(path) was written by a newer batchtop (schema \(found), this build knows \(known)); upgrade batchtop or use --db"
        case let .notADatabase(path, detail):
            return "\(path) is not a usable batchtop database (\(detail)); move it aside or pass another file with --db"
        case let .fileSetup(path, detail):
            return "cannot prepare database file \(path): \(detail); check the directory's ownership and permissions or use --db"
        case let .missing(path):
            return "no database at \(path) yet; run `batchtop sync` first, or pass --db PATH"
        case let .permissionDenied(path, detail):
            return "cannot open database \(path): permission denied (\(detail)); run batchtop as the user who owns it, "
                + "give this user access (chmod/chown), or pass --db PATH"
        case let .leaseLost(holder, expiresAt):
            return "another poller (\(holder)) holds this database's sync lease until \(expiresAt); this cycle's results were not written"
        case let .sqlite(operation, detail):
            return "database error while \(operation): \(detail)"
        }
    }
}
