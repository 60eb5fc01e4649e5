import CFuzzDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fails the run when a property does not hold: prints what broke and aborts, so libFuzzer saves the input
/// as `crash-<sha1>` and reports it like any other crash.
///
/// Rule: an oracle failure is a finding, never a skipped input, why: a fuzz target that quietly tolerates
/// disagreement tests nothing.
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition() else { return }
    let text = Array("FUZZ CHECK FAILED at \(file):\(line): \(message())\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}

/// A directory for the temporary files a target needs, in memory when `/dev/shm` exists.
public func fuzzScratchDirectory() -> String {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let dir = "\(base)/batchtop-fuzz-\(getpid())"
    mkdir(dir, 0o700)
    return dir
}

/// Writes `bytes` to `path`, replacing it; false when it cannot.
public func fuzzWriteFile(_ path: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n <= 0 { return false }
        done += n
    }
    return true
}

/// Reads fuzz bytes as a sequence of small fields, for targets whose input is a stream of events.
public struct FuzzBytes {
    public let bytes: [UInt8]
    public private(set) var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { position >= bytes.count }

    /// The next byte, or 0 past the end.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next four bytes as a little-endian integer (zeros past the end).
    public mutating func uint32() -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(byte()) << (8 * UInt32(k)) }
        return v
    }

    /// A string of up to `max` bytes: a length byte, then that many bytes decoded as UTF-8 (repaired).
    public mutating func string(max: Int = 64) -> String {
        let n = min(Int(byte()), max, bytes.count - position)
        guard n > 0 else { return "" }
        defer { position += n }
        return String(decoding: bytes[position..<(position + n)], as: UTF8.self)
    }
}

/// Runs libFuzzer with the process arguments (`-runs=`, corpus directories, ...) and `callback` as the target.
///
/// The callback must be a non-capturing closure that calls the target's `LLVMFuzzerTestOneInput`.
public func runLibFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}

/// Where a zero-length input points when libFuzzer passes no buffer.
nonisolated(unsafe) public let emptyFuzzInput: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return UnsafePointer(p)
}()
