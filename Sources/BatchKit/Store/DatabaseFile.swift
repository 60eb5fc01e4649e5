import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates and secures the SQLite file before SQLite ever opens it.
///
/// Rule: the file is created with mode 0600 by us, not by SQLite, why: SQLite creates files with the
/// process umask (often 0644), and the database holds metadata other users should not read. SQLite
/// gives the -wal and -shm files the main file's permissions, so securing the main file covers them.
enum DatabaseFile {
    /// Makes sure `url`'s directory exists (0700 when created) and the file exists with mode 0600.
    static func prepare(_ url: URL) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent()
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
            return
        }
        let err = errno
        guard err == EEXIST else {
            throw StoreError.fileSetup(path: path, detail: String(cString: strerror(err)))
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw StoreError.fileSetup(path: path, detail: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.fileSetup(path: path, detail: "not a regular file")
        }
        if info.st_mode & 0o077 != 0 {
            guard chmod(path, 0o600) == 0 else {
                throw StoreError.fileSetup(path: path, detail: "is readable by other users and chmod 0600 failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    static func permissions(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o777)
    }
}
