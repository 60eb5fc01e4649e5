import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes a file the operator named: `results -o`, `submit --results`.
public enum OutputDestination: Sendable, Hashable, CustomStringConvertible {
    /// `-`: the process's standard output.
    case standardOutput
    /// A path (absolute, `~` expanded).
    case path(String)

    /// `-` is standard output; anything else a path, `~/` expanded.
    public init(argument: String) {
        self = argument == "-" ? .standardOutput : .path((argument as NSString).expandingTildeInPath)
    }

    public var description: String {
        switch self {
        case .standardOutput: return "standard output"
        case .path(let path): return path
        }
    }
}

/// Why an output file could not be written; says what to do instead.
public struct OutputFileError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason)" }
    public var errorDescription: String? { description }
}

/// The one writer of operator-named output files, and its rule for what may be at the path.
///
/// Rule, by what is at the path:
/// - nothing, or a regular file: written to a temporary file (mode 0600, like downloads) in the same
///   directory and renamed into place, so a reader never sees half a file and a crash leaves the old one;
/// - a character device (`/dev/null`, `/dev/stdout`, a terminal) or a FIFO: opened and written through,
///   never replaced, why: renaming over `/dev/full` as root replaced the device with a file;
/// - a symbolic link: followed only to a character device or FIFO (so `/dev/stdout` works); a link to a
///   regular file, or to nothing, is refused, why: a link planted in a shared directory would aim the
///   replacement at any file the operator can write (pass the target itself, or `-o -`);
/// - a directory, block device or socket: refused with what to pass instead.
public enum OutputFile {
    /// What is at a path, as far as writing to it goes.
    enum Target: Equatable {
        case missing, regular, stream
        case refused(String)
    }

    /// Writes `data` whole to `destination` by the rule above.
    public static func write(_ data: Data, to destination: OutputDestination) throws(OutputFileError) {
        switch destination {
        case .standardOutput:
            try writeAll(data, to: STDOUT_FILENO, path: "standard output")
        case .path(let path):
            switch inspect(path) {
            case .missing, .regular: try replace(path, with: data)
            case .stream: try writeThrough(path, data)
            case .refused(let reason): throw OutputFileError(path: path, reason: reason)
            }
        }
    }

    /// Opens `path` for appending whole lines (a real-time results file read back on resume): a regular
    /// file or nothing (then created 0600); anything else is refused, why: a device or FIFO cannot be
    /// read back and a link could aim the appends anywhere.
    public static func openForAppending(_ path: String) throws(OutputFileError) -> Int32 {
        try requireAppendable(path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Whether `path` holds a regular file (false when nothing is there); throws for anything an
    /// append-only results file cannot be.
    @discardableResult
    public static func requireAppendable(_ path: String) throws(OutputFileError) -> Bool {
        switch inspect(path) {
        case .missing: return false
        case .regular: return true
        case .stream:
            throw OutputFileError(path: path, reason: "is a device, FIFO or a link to one; a results file must be a regular file it can read back on resume: name a file")
        case .refused(let reason): throw OutputFileError(path: path, reason: reason)
        }
    }

    /// Classifies what is at `path` (see the rule on `OutputFile`).
    static func inspect(_ path: String) -> Target {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return errno == ENOENT ? .missing : .refused(String(cString: strerror(errno)))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFCHR, S_IFIFO: return .stream
        case S_IFDIR: return .refused("it is a directory; name a file inside it, e.g. \((path as NSString).appendingPathComponent("results.jsonl"))")
        case S_IFLNK: return inspectLink(path)
        case S_IFBLK: return .refused("it is a block device; write to a regular file, a character device such as /dev/null, a FIFO, or - for standard output")
        default: return .refused("it is a socket or another special file; write to a regular file, a FIFO, or - for standard output")
        }
    }

    private static func inspectLink(_ path: String) -> Target {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .refused("it is a symbolic link to \(target), which does not exist; batchtop does not create files through links: pass the file's own path")
        }
        switch info.st_mode & S_IFMT {
        case S_IFCHR, S_IFIFO: return .stream
        case S_IFDIR: return .refused("it is a link to a directory; name a file inside it")
        case S_IFREG:
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            return .refused("it is a symbolic link to the file \(resolved); batchtop does not replace files through links (one planted in a shared directory could aim the write anywhere): pass \(resolved) itself, or - for standard output")
        default: return .refused("it is a link to a block device, socket or other special file; write to a regular file, a FIFO, or - for standard output")
        }
    }

    /// Temporary file in the same directory, 0600, synced, then renamed over `path`.
    private static func replace(_ path: String, with data: Data) throws(OutputFileError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw OutputFileError(path: path, reason: "the directory \(directory) does not exist; create it first")
        }
        var template = Array((directory + "/." + url.lastPathComponent + ".batchtop-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputFileError(path: path, reason: "cannot create a file in \(directory): \(String(cString: strerror(errno)))") }
        let temp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer { if !committed { unlink(temp) } }
        do {
            defer { close(fd) }
            _ = fchmod(fd, 0o600)
            try writeAll(data, to: fd, path: path)
            guard fsync(fd) == 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        }
        // Re-checked just before the rename, why: something else may have appeared at the path meanwhile.
        switch inspect(path) {
        case .missing, .regular: break
        case .refused(let reason): throw OutputFileError(path: path, reason: reason)
        case .stream: throw OutputFileError(path: path, reason: "it became a device or FIFO while the file was written; run again")
        }
        guard rename(temp, path) == 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        committed = true
    }

    /// Opens an existing character device or FIFO without creating or truncating it, and writes.
    private static func writeThrough(_ path: String, _ data: Data) throws(OutputFileError) {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, [S_IFCHR, S_IFIFO].contains(info.st_mode & S_IFMT) else {
            throw OutputFileError(path: path, reason: "it changed while being opened; run again")
        }
        try writeAll(data, to: fd, path: path)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(OutputFileError) {
        let failure: Int32? = data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let put = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
                if put < 0 { if errno == EINTR { continue }; return errno }
                done += put
            }
            return nil
        }
        if let failure { throw OutputFileError(path: path, reason: String(cString: strerror(failure))) }
    }
}

/// `write(2)`, named apart from `OutputFile.write`.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
