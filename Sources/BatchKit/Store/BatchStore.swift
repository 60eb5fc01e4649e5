import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif
import Logging

/// The batchtop database: every job, its transitions and files, sync state, lease and audit.
///
/// Rule: every write is one transaction, why: a process killed at any instant must leave the previous
/// state intact. Rule: only this folder runs SQL, why: one place to keep schema and queries in step.
public final class BatchStore: Sendable {
    /// The database file.
    public let url: URL
    let pool: DatabasePool
    /// A warning about the file found at open (other users can read it); nil when there is none.
    /// Front ends print it: the store never changes an existing file's mode.
    public let fileWarning: String?
    /// The key that signs audit rows (kept outside the database); nil writes unsigned rows, which a
    /// chain that is already signed refuses.
    public let auditKey: AuditKeyFile?

    /// How a process uses the database, which decides its memory trade-offs.
    public enum Profile: Sendable {
        /// A command that runs and exits: memory-mapped reads and a 32 MB writer cache for speed.
        case command
        /// A process that stays (the dashboard, the demo, the sync daemon): no memory map and small
        /// caches, why: every file page a mapped read touches (and the kernel maps around it) counts in
        /// resident memory for good, and SQLite keeps a full page cache per connection; on a
        /// 100,000-job database that was a hundred megabytes of cache an operator reads as a leak.
        case resident
    }

    /// Opens (creating with mode 0600 when missing) and migrates the database at `url`.
    ///
    /// Throws `StoreError.newerSchema` when the file was written by a newer batchtop,
    /// `StoreError.notADatabase` when the file is not an SQLite database, and
    /// `StoreError.permissionDenied` when this user cannot reach it. Missing or altered audit
    /// protection triggers are restored (and that fact appended to the audit) when the file can be written.
    ///
    /// - Parameter auditKey: the file of the key that signs audit rows; every front end passes
    ///   `BatchtopPaths.auditKey` (see `init(paths:profile:)`).
    public convenience init(url: URL, profile: Profile = .command, auditKey: AuditKeyFile? = nil) throws {
        try self.init(url: url, profile: profile, auditKey: auditKey, warning: DatabaseFile.prepare(url))
    }

    /// Opens a database that must already exist, for commands that read it: nothing is created and no
    /// mode is changed. Throws `StoreError.missing` when there is no file, and
    /// `StoreError.permissionDenied` (never "missing") when this user cannot reach it.
    public static func openExisting(url: URL, profile: Profile = .command, auditKey: AuditKeyFile? = nil) throws -> BatchStore {
        try BatchStore(url: url, profile: profile, auditKey: auditKey, warning: DatabaseFile.requireExisting(url))
    }

    /// `openExisting(url:)` on the configured database with the configured audit key.
    public static func openExisting(paths: BatchtopPaths, profile: Profile = .command) throws -> BatchStore {
        try openExisting(url: paths.database.value, profile: profile, auditKey: AuditKeyFile(url: paths.auditKey.value))
    }

    private init(url: URL, profile: Profile, auditKey: AuditKeyFile?, warning: String?) throws {
        self.url = url
        self.auditKey = auditKey
        self.fileWarning = warning
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        config.label = "batchtop.store"
        let resident = profile == .resident
        config.prepareDatabase { db in
            // NORMAL in WAL mode survives any process crash; only a power loss can drop the last commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Page cache (SQLite's default is 2 MB): a command's writer gets 32 MB, why: a first sync writes
            // tens of thousands of rows in one transaction and a small cache spills and re-reads pages.
            // Readers scan indexes once per read, where a large cache buys little.
            let cacheKiB = db.configuration.readonly ? (resident ? 2_048 : 8_192) : (resident ? 4_096 : 32_768)
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
            // Memory-mapped reads, why: exporting 100,000 jobs otherwise spends a fifth of its time in pread copies.
            if !resident { try db.execute(sql: "PRAGMA mmap_size = 268435456") }
        }
        let path = url.path
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.openError(error, path: path)
        }
        let migrator = StoreSchema.migrator
        do {
            let (found, superseded) = try pool.read { db -> (Int, Bool) in
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                return (version, try migrator.hasBeenSuperseded(db))
            }
            if found > StoreSchema.version || superseded {
                throw StoreError.newerSchema(path: path, found: max(found, StoreSchema.version + 1), known: StoreSchema.version)
            }
            try migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.openError(error, path: path)
        }
        restoreAuditProtection()
    }

    /// Opens the configured database with the configured audit key (`paths.database`, `paths.auditKey`).
    public convenience init(paths: BatchtopPaths, profile: Profile = .command) throws {
        try self.init(url: paths.database.value, profile: profile, auditKey: AuditKeyFile(url: paths.auditKey.value))
    }

    private static func openError(_ error: any Error, path: String) -> StoreError {
        if let db = error as? DatabaseError {
            if db.resultCode == .SQLITE_NOTADB || db.resultCode == .SQLITE_CORRUPT {
                return .notADatabase(path: path, detail: db.message ?? "\(db.resultCode)")
            }
            return .sqlite(operation: "opening \(path)", detail: db.message ?? "\(db.resultCode)")
        }
        return .sqlite(operation: "opening \(path)", detail: "\(error)")
    }

    /// The schema version recorded in the file (`PRAGMA user_version`).
    public func schemaVersion() throws -> Int {
        try read("reading the schema version") { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 }
    }

    /// The highest schema version this build knows.
    public static var knownSchemaVersion: Int { StoreSchema.version }

    /// Bytes on disk: the database file plus its write-ahead log (for `batchtop info`).
    public func sizeOnDisk() -> Int64 {
        [url.path, url.path + "-wal"].reduce(Int64(0)) { total, path in
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// `PRAGMA integrity_check` lines; `["ok"]` for a sound file.
    public func integrityCheck() throws -> [String] {
        try read("checking integrity") { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Runs a read, mapping database errors to `StoreError` with what was being done.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw Self.mapped(error, operation) }
    }

    /// Runs a write in one IMMEDIATE transaction, mapping database errors to `StoreError`.
    ///
    /// IMMEDIATE, why: the lease check and the writes it guards must see the same database state.
    /// Rule: when the transaction ends, no statement of the writer connection is left mid-read, why:
    /// one left on SQLITE_ROW keeps a read transaction open after COMMIT, pinning a snapshot; after any
    /// other process writes, every later `BEGIN IMMEDIATE` fails with SQLITE_BUSY_SNAPSHOT, which no
    /// busy timeout waits out. `SQLiteRow` resets itself; this guard catches any other path, resets
    /// the statement, logs it, and stops a debug build so a test names the leak.
    /// Rule: a write refused with SQLITE_BUSY_SNAPSHOT is tried once more on a fresh snapshot, why:
    /// IMMEDIATE takes the write lock before reading, so the refusal can only come from a stale read
    /// still open at BEGIN; once it is reset the write starts from the current database.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var attempt = 0
                while true {
                    attempt += 1
                    do {
                        var result: T?
                        try db.inTransaction(.immediate) {
                            result = try body(db)
                            return .commit
                        }
                        Self.resetBusyStatements(db, after: operation)
                        return result!
                    } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_BUSY_SNAPSHOT && attempt == 1 {
                        Self.log.warning("write while \(operation) met a stale snapshot; retrying once on a fresh one")
                        Self.endStaleRead(db)
                    } catch {
                        // Leave the connection clean for the next write whatever failed.
                        Self.endStaleRead(db)
                        throw error
                    }
                }
            }
        } catch {
            throw Self.mapped(error, operation)
        }
    }

    static let log = Logger(label: "batchtop.store")

    /// Resets every statement of `db` still mid-read (outside a transaction, that is a leaked read
    /// transaction), logs them, and stops a debug build.
    static func resetBusyStatements(_ db: Database, after operation: String) {
        guard let connection = db.sqliteConnection, sqlite3_get_autocommit(connection) != 0 else { return }
        let leaked = busyStatements(db)
        guard !leaked.isEmpty else { return }
        var statement = sqlite3_next_stmt(connection, nil)
        while let s = statement {
            if sqlite3_stmt_busy(s) != 0 { sqlite3_reset(s) }
            statement = sqlite3_next_stmt(connection, s)
        }
        log.error("a statement was left mid-read after \(operation); reset it: \(leaked.joined(separator: " | "))")
        assertionFailure("statement left mid-read after \(operation): \(leaked)")
    }

    /// The SQL of every statement of `db` that has stepped and was neither finished nor reset.
    static func busyStatements(_ db: Database) -> [String] {
        guard let connection = db.sqliteConnection else { return [] }
        var busy: [String] = []
        var statement = sqlite3_next_stmt(connection, nil)
        while let s = statement {
            if sqlite3_stmt_busy(s) != 0 { busy.append(sqlite3_sql(s).map { String(cString: $0) } ?? "?") }
            statement = sqlite3_next_stmt(connection, s)
        }
        return busy
    }

    /// Ends whatever read transaction the connection still holds, so the next BEGIN sees the current database.
    private static func endStaleRead(_ db: Database) {
        guard let connection = db.sqliteConnection else { return }
        var statement = sqlite3_next_stmt(connection, nil)
        while let s = statement {
            if sqlite3_stmt_busy(s) != 0 { sqlite3_reset(s) }
            statement = sqlite3_next_stmt(connection, s)
        }
        if sqlite3_get_autocommit(connection) == 0 { try? db.rollback() }
    }

    static func mapped(_ error: any Error, _ operation: String) -> any Error {
        if error is StoreError { return error }
        if let db = error as? DatabaseError {
            return StoreError.sqlite(operation: operation, detail: db.message ?? "\(db.resultCode)")
        }
        return error
    }
}
