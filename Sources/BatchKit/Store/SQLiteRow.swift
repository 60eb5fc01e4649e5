import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// Runs a GRDB-prepared statement through the SQLite C API: bind, step, read columns in place.
///
/// Rule: used only on hot per-row paths (the cycle write, the job list read), why: building
/// `StatementArguments` from 34 boxed values per job cost a third of the upsert time, and GRDB's
/// generic row decoding most of a 100,000-row read; the C API neither boxes nor allocates.
/// The statement must come from the `Database` of the current transaction.
/// These writes bypass GRDB's statement hooks, so GRDB `ValueObservation` would not see them: the
/// sync worker announces each cycle through its mailbox instead.
///
/// Rule: a row is `~Copyable` and resets its statement when it goes out of scope, why: a statement
/// left on SQLITE_ROW keeps its connection's read transaction open after COMMIT. On the writer
/// connection that pinned a stale snapshot, and once any other process wrote, every later
/// `BEGIN IMMEDIATE` failed with SQLITE_BUSY_SNAPSHOT ("database is locked") for good.
/// No copy can outlive the reset, and no early return or thrown error can skip it.
struct SQLiteRow: ~Copyable {
    private let statement: Statement
    private let handle: OpaquePointer
    private var index: Int32 = 0

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// - Parameter keepBindings: true when the statement's arguments were set through GRDB and must stay.
    init(_ statement: Statement, keepBindings: Bool = false) {
        self.statement = statement
        self.handle = statement.sqliteStatement
        sqlite3_reset(handle)
        if !keepBindings { sqlite3_clear_bindings(handle) }
    }

    deinit {
        // Ends the statement's read of the database (its result code was already reported by `step`).
        sqlite3_reset(handle)
    }

    mutating func bind(_ value: String?) {
        index += 1
        guard var text = value else { sqlite3_bind_null(handle, index); return }
        let (handle, index) = (self.handle, self.index)
        text.withUTF8 { buf in
            if let base = buf.baseAddress, buf.count > 0 {
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    _ = sqlite3_bind_text(handle, index, $0, Int32(buf.count), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
            }
        }
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }
    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// Steps once; true when a row is available.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            let message = sqlite3_errmsg(sqlite3_db_handle(handle)).map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Steps to completion (for INSERT/UPDATE).
    func run() throws {
        while try step() {}
    }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: p)
    }

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func int64OrNil(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// The text column's bytes in place (valid until the next step); nil for NULL.
    func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        return body(UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// Whether text column `column` holds exactly the UTF-8 bytes of `value`, compared in place.
    func textEquals(_ column: Int32, _ value: String) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let count = Int(sqlite3_column_bytes(handle, column))
        var value = value
        return value.withUTF8 { buf in
            buf.count == count && (count == 0 || memcmp(buf.baseAddress!, p, count) == 0)
        }
    }
}
