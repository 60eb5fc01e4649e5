import Crypto
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The secret that anchors the audit chain: HMAC-SHA256 over each row's hash and over the head record.
///
/// Rule: the key never enters the database, why: anyone who can write the database could otherwise
/// rewrite a row, re-hash the chain after it and re-sign it; without the key the rewritten rows fail
/// verification.
public struct AuditKey: Sendable {
    /// The raw bytes (swift-crypto's `SymmetricKey` is not `Sendable`; one is made per use).
    let bytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// Exactly 32 bytes.
    public static let byteCount = 32

    /// A key from its raw bytes (nil unless exactly 32 bytes).
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// A fresh random key.
    public static func random() -> AuditKey {
        AuditKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })!
    }

    /// The MAC stored with a row: over a domain tag and the row's chain hash (which covers every field
    /// and the previous row's hash).
    public func rowMAC(hash: String) -> String { mac(Self.rowMessage(hash: hash)) }

    /// The MAC stored with the head record: over the append counter, the last row id and its hash.
    public func headMAC(rowCount: Int64, lastID: Int64?, headHash: String?) -> String {
        mac(Self.headMessage(rowCount: rowCount, lastID: lastID, headHash: headHash))
    }

    /// Whether `mac` is this key's MAC of the row hash (compared in constant time).
    public func isValidRowMAC(_ mac: String, hash: String) -> Bool { isValid(mac, Self.rowMessage(hash: hash)) }

    /// Whether `mac` is this key's MAC of the head values (compared in constant time).
    public func isValidHeadMAC(_ mac: String, rowCount: Int64, lastID: Int64?, headHash: String?) -> Bool {
        isValid(mac, Self.headMessage(rowCount: rowCount, lastID: lastID, headHash: headHash))
    }

    // Domain tags, why: a row MAC must never pass as a head MAC or the other way round.
    private static func rowMessage(hash: String) -> Data { Data("batchtop.audit.row/v1\n\(hash)".utf8) }
    private static func headMessage(rowCount: Int64, lastID: Int64?, headHash: String?) -> Data {
        Data("batchtop.audit.head/v1\n\(rowCount)\n\(lastID.map(String.init) ?? "")\n\(headHash ?? "")".utf8)
    }

    private func mac(_ message: Data) -> String {
        HMAC<Crypto.SHA256>.authenticationCode(for: message, using: key).map { String(format: "%02x", $0) }.joined()
    }

    private func isValid(_ mac: String, _ message: Data) -> Bool {
        guard let code = Self.bytes(hex: mac) else { return false }
        return HMAC<Crypto.SHA256>.isValidAuthenticationCode(code, authenticating: message, using: key)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

/// Why the audit key could not be read or created.
public struct AuditKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key file.
    public var path: String
    /// What went wrong and what to do.
    public var detail: String

    public var description: String { "audit key \(path): \(detail)" }
}

/// The file holding the audit key (32 random bytes, mode 0600), created on the first keyed append.
///
/// Default place: `<state dir>/audit.key` (`BatchtopPaths.auditKey`). Rule: it is created, never
/// replaced, why: a new key would make every row signed with the old one fail verification.
public final class AuditKeyFile: Sendable {
    /// Where the key lives.
    public let url: URL
    private let cached = Mutex<AuditKey?>(nil)

    public init(url: URL) { self.url = url }

    /// Whether the file exists (for `batchtop info`).
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// The key, or nil when the file does not exist yet.
    public func load() throws(AuditKeyError) -> AuditKey? {
        if let key = cached.withLock({ $0 }) { return key }
        guard let key = try readKey() else { return nil }
        cached.withLock { $0 = key }
        return key
    }

    /// The key, creating the file (and its directory, 0700) with a fresh random key when missing.
    ///
    /// Two processes creating at once agree on one key: the new key is written to a temporary file
    /// and linked into place, and the loser of the link reads the winner's file.
    public func loadOrCreate() throws(AuditKeyError) -> AuditKey {
        if let key = try load() { return key }
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw fail("cannot create its directory \(directory.path) (\(error.localizedDescription)); make it writable or set [paths] state_dir")
        }
        let fresh = AuditKey.random()
        let temp = url.path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot be created (\(String(cString: strerror(errno)))); make \(directory.path) writable or set [paths] state_dir") }
        defer { unlink(temp) }
        let bytes = fresh.bytes
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else { throw fail("cannot be written (\(String(cString: strerror(errno))))") }
        if link(temp, url.path) != 0 && errno != EEXIST {
            throw fail("cannot be put in place (\(String(cString: strerror(errno)))); make \(directory.path) writable")
        }
        guard let key = try readKey() else { throw fail("vanished while being created; try again") }
        cached.withLock { $0 = key }
        return key
    }

    /// A warning when the file can be read by other users (who could then forge audit rows).
    public func permissionWarning() -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & 0o077 != 0 else { return nil }
        return "audit key \(url.path) is readable by other users (mode \(String(info.st_mode & 0o777, radix: 8))), who could sign rewritten rows with it; run: chmod 600 \(url.path)"
    }

    private func readKey() throws(AuditKeyError) -> AuditKey? {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw fail("cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: AuditKey.byteCount + 1)
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 { if errno == EINTR { continue }; throw fail("cannot be read (\(String(cString: strerror(errno))))") }
            if n == 0 { break }
            total += n
        }
        guard let key = AuditKey(bytes: buffer.prefix(total)) else {
            throw fail("holds \(total > AuditKey.byteCount ? "more than \(AuditKey.byteCount)" : String(total)) bytes, not a \(AuditKey.byteCount)-byte audit key; restore the key this database was signed with")
        }
        return key
    }

    private func fail(_ detail: String) -> AuditKeyError { AuditKeyError(path: url.path, detail: detail) }
}
