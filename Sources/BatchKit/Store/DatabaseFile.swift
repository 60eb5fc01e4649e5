import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates the SQLite file before SQLite ever opens it, and checks one that must already exist.
///
/// Rule: the file is created with mode 0600 by us, not by SQLite, why: SQLite creates files with the
/// process umask (often 0644), and the database holds metadata other users should not read. SQLite
/// gives the -wal and -shm files the main file's permissions, so securing the main file covers them.
/// Rule: an existing file's mode is never changed, only warned about, why: its owner chose it (a 0444
/// file is someone's way to keep it read-only, and a chmod to 0600 made it writable again), and a
/// command that only reads must leave the file as it found it.
enum DatabaseFile {
    /// What is at a path before anything opens it.
    enum State: Equatable {
        case missing
        case regularFile(mode: Int)
        case notRegularFile
        /// The path cannot be examined or read by this user; the detail says where and why.
        case permissionDenied(String)
        case unreadable(String)
    }

    /// Makes sure `url`'s directory exists (0700 when created) and the file exists (0600 when created).
    /// Returns a warning when an existing file is readable or writable by other users.
    static func prepare(_ url: URL) throws -> String? {
        let path = url.path
        let directory = url.deletingLastPathComponent()
        if case .permissionDenied(let detail) = state(path) { throw StoreError.permissionDenied(path: path, detail: detail) }
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.fileSetup(path: path, detail: "cannot create directory \(directory.path): \(SystemErrorText.reason(error))")
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
            // The umask may have removed bits but never adds any; chmod anyway in case of odd file systems.
            _ = chmod(path, 0o600)
            return nil
        }
        let err = errno
        guard err == EEXIST else {
            if err == EACCES || err == EPERM { throw StoreError.permissionDenied(path: path, detail: Self.whereDenied(path)) }
            throw StoreError.fileSetup(path: path, detail: String(cString: strerror(err)))
        }
        return try existing(path)
    }

    /// Checks a file that must already exist, creating and changing nothing; returns a mode warning.
    static func requireExisting(_ url: URL) throws -> String? {
        try existing(url.path)
    }

    private static func existing(_ path: String) throws -> String? {
        switch state(path) {
        case .missing: throw StoreError.missing(path: path)
        case .notRegularFile: throw StoreError.fileSetup(path: path, detail: "not a regular file")
        case .permissionDenied(let detail): throw StoreError.permissionDenied(path: path, detail: detail)
        case .unreadable(let detail): throw StoreError.fileSetup(path: path, detail: detail)
        case .regularFile(let mode): return modeWarning(path: path, mode: mode)
        }
    }

    /// What is at `path`, told apart as a person needs it: missing is not the same as forbidden.
    static func state(_ path: String) -> State {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let err = errno
            switch err {
            case ENOENT, ENOTDIR: return .missing
            case EACCES, EPERM: return .permissionDenied(whereDenied(path))
            default: return .unreadable(String(cString: strerror(err)))
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegularFile }
        if access(path, R_OK) != 0 && (errno == EACCES || errno == EPERM) {
            return .permissionDenied("\(path) is not readable by this user (mode \(octal(Int(info.st_mode & 0o777))), owner uid \(info.st_uid))")
        }
        return .regularFile(mode: Int(info.st_mode & 0o777))
    }

    /// The first directory on the way to `path` this user may not search, described; else a plain reason.
    static func whereDenied(_ path: String) -> String {
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var chain: [URL] = []
        while directory.path != "/" && !directory.path.isEmpty {
            chain.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        for dir in chain.reversed() where access(dir.path, X_OK) != 0 && (errno == EACCES || errno == EPERM) {
            var info = stat()
            let owner = stat(dir.path, &info) == 0 ? ", mode \(octal(Int(info.st_mode & 0o777))), owner uid \(info.st_uid)" : ""
            return "this user may not enter directory \(dir.path)\(owner)"
        }
        return "permission denied"
    }

    /// A warning for a database file other users may read or write; nil for 0600 and tighter.
    static func modeWarning(path: String, mode: Int) -> String? {
        guard mode & 0o077 != 0 else { return nil }
        return "database \(path) has mode \(octal(mode)): other users can read it (it holds job metadata and the audit trail); "
            + "batchtop leaves modes as it finds them: run `chmod go-rwx \(path)` to restrict it"
    }

    static func octal(_ mode: Int) -> String { "0" + String(mode, radix: 8) }

    /// The permission bits of `path`, or nil when it does not exist.
    static func permissions(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o777)
    }
}
