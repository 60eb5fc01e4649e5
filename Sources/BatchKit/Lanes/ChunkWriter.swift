#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one chunk's lines from the source file into a new JSONL file for upload, streamed.
///
/// Each line is written as its content plus `\n`: a byte-order mark, `\r\n` endings and trailing blank
/// lines of the source do not reach the provider. Rule: write to `destination.partial`, then rename,
/// why: a killed run must never leave a truncated file that looks finished to the resume path.
public struct ChunkWriter: Sendable {
    /// Bytes read from the source per `pread(2)`.
    public var bufferSize: Int

    public init(bufferSize: Int = 4 << 20) { self.bufferSize = max(4096, bufferSize) }

    /// Writes `chunk` of the file `summary` describes to `destination`; returns the bytes written.
    ///
    /// Throws `.changed` when the source's size or modification time differ from validation, why: a
    /// resumed submission must not upload lines the validator never saw.
    @discardableResult
    public func write(_ chunk: Chunk, of summary: InputFileSummary, to destination: String) throws(InputFileError) -> Int64 {
        try write(chunk, index: summary.index, source: summary.path, destination: destination,
                  expecting: (bytes: summary.bytes, modifiedAtNanos: summary.modifiedAtNanos))
    }

    /// Writes `chunk` of `source` (validated into `index`) to `destination`; returns the bytes written.
    @discardableResult
    public func write(_ chunk: Chunk, index: LineIndex, source: String, destination: String,
                      expecting fingerprint: (bytes: Int64, modifiedAtNanos: Int64)? = nil) throws(InputFileError) -> Int64 {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw InputFileError(.open, path: source, code: errno) }
        defer { close(input) }
        if let fingerprint {
            var info = stat()
            guard fstat(input, &info) == 0 else { throw InputFileError(.stat, path: source, code: errno) }
            guard Int64(info.st_size) == fingerprint.bytes,
                  InputFileValidator.modificationTime(input) == fingerprint.modifiedAtNanos else {
                throw InputFileError(.changed, path: source, code: 0)
            }
        }
        let partial = destination + ".partial"
        let output = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard output >= 0 else { throw InputFileError(.open, path: partial, code: errno) }
        var closed = false
        defer { if !closed { close(output); unlink(partial) } }

        let window = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
        defer { window.deallocate() }
        var out = OutputBuffer(fd: output, path: partial, capacity: bufferSize)
        defer { out.deallocate() }
        var windowStart: Int64 = 0
        var windowCount = 0

        for k in chunk.entries {
            let offset = index.offsets[k]
            let length = Int(index.lengths[k])
            if length > bufferSize {
                // A line bigger than the window: copy it through in pieces.
                var done = 0
                while done < length {
                    let piece = min(bufferSize, length - done)
                    try readFully(input, into: window, count: piece, at: offset + Int64(done), path: source)
                    try out.append(UnsafeBufferPointer(start: window, count: piece))
                    done += piece
                }
                windowCount = 0
            } else {
                if offset < windowStart || offset + Int64(length) > windowStart + Int64(windowCount) {
                    let want = Int(min(Int64(bufferSize), chunk.byteRange.upperBound - offset))
                    windowCount = try readUpTo(input, into: window, count: max(want, length), at: offset, path: source)
                    windowStart = offset
                    guard windowCount >= length else { throw InputFileError(.read, path: source, code: EIO) }
                }
                try out.append(UnsafeBufferPointer(start: window + Int(offset - windowStart), count: length))
            }
            try out.appendNewline()
        }
        try out.flush()
        let written = out.written
        closed = true
        guard close(output) == 0 else { unlink(partial); throw InputFileError(.write, path: partial, code: errno) }
        guard rename(partial, destination) == 0 else {
            let code = errno
            unlink(partial)
            throw InputFileError(.write, path: destination, code: code)
        }
        return written
    }

    private func readUpTo(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int64, path: String) throws(InputFileError) -> Int {
        var done = 0
        while done < count {
            let got = pread(fd, buffer + done, count - done, off_t(offset + Int64(done)))
            if got < 0 {
                if errno == EINTR { continue }
                throw InputFileError(.read, path: path, code: errno)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    private func readFully(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int64, path: String) throws(InputFileError) {
        let got = try readUpTo(fd, into: buffer, count: count, at: offset, path: path)
        guard got == count else { throw InputFileError(.read, path: path, code: EIO) }
    }
}

/// A write buffer over a file descriptor that counts what it wrote.
private struct OutputBuffer {
    let fd: Int32
    let path: String
    let capacity: Int
    let storage: UnsafeMutablePointer<UInt8>
    var count = 0
    var written: Int64 = 0

    init(fd: Int32, path: String, capacity: Int) {
        self.fd = fd; self.path = path; self.capacity = capacity
        storage = .allocate(capacity: capacity)
    }

    func deallocate() { storage.deallocate() }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) throws(InputFileError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > capacity { try flush() }
        if bytes.count > capacity {
            try writeAll(base, bytes.count)
        } else {
            (storage + count).update(from: base, count: bytes.count)
            count += bytes.count
        }
    }

    mutating func appendNewline() throws(InputFileError) {
        if count == capacity { try flush() }
        storage[count] = 0x0A
        count += 1
    }

    mutating func flush() throws(InputFileError) {
        try writeAll(storage, count)
        count = 0
    }

    private mutating func writeAll(_ base: UnsafePointer<UInt8>, _ n: Int) throws(InputFileError) {
        var done = 0
        while done < n {
            let put = systemWrite(fd, base + done, n - done)
            if put < 0 {
                if errno == EINTR { continue }
                throw InputFileError(.write, path: path, code: errno)
            }
            done += put
        }
        written += Int64(n)
    }
}

/// `write(2)`, named apart from the methods called `write` here.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
