#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sums usage per model from a batch output file, streaming in large chunks with bounded memory.
///
/// Rule: a line that cannot be read is counted and skipped, never fatal, why: one corrupt line in a
/// 200 MB file must not hide the spend of the other 49,999. Memory is one chunk buffer, grown only
/// for a line longer than the chunk and never beyond `maxLineBytes`; longer lines are skipped
/// (counted as oversized) without being buffered. The default chunk (1 MiB) stays in cache between
/// the copy and the scan; the default line limit (128 MiB) fits the largest realistic line, an
/// embeddings response for thousands of inputs, so its tokens are not lost.
public struct UsageIngest: Sendable {
    /// Model to attribute usage to when a line names none (typically `Batch.model`).
    public var fallbackModel: String?
    /// Bytes per `read(2)`.
    public var chunkBytes: Int
    /// The longest line that is buffered and read; longer ones are counted as unreadable.
    public var maxLineBytes: Int

    /// The running totals.
    public private(set) var report = UsageIngestReport()
    private var physicalLine = 0

    public init(fallbackModel: String? = nil, chunkBytes: Int = 1 << 20, maxLineBytes: Int = 128 << 20) {
        self.fallbackModel = fallbackModel
        self.chunkBytes = max(16, chunkBytes)
        self.maxLineBytes = max(self.chunkBytes, maxLineBytes)
    }

    /// Reads the whole file at `path`; throws only when the file cannot be opened or read.
    public static func read(fileAt path: String, fallbackModel: String? = nil, chunkBytes: Int = 1 << 20, maxLineBytes: Int = 128 << 20) throws(UsageIngestError) -> UsageIngestReport {
        var ingest = UsageIngest(fallbackModel: fallbackModel, chunkBytes: chunkBytes, maxLineBytes: maxLineBytes)
        try ingest.consumeFile(at: path)
        return ingest.report
    }

    /// Reads in-memory JSONL bytes (for tests and small files).
    public static func read(bytes: [UInt8], fallbackModel: String? = nil) -> UsageIngestReport {
        var ingest = UsageIngest(fallbackModel: fallbackModel)
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let nl = memchr(base + start, 0x0A, buffer.count - start)
                let end = nl.map { base.distance(to: UnsafeRawPointer($0)) } ?? buffer.count
                ingest.consume(line: UnsafeRawBufferPointer(start: base + start, count: end - start))
                start = end + 1
            }
        }
        ingest.report.bytes = Int64(bytes.count)
        return ingest.report
    }

    /// Streams the file at `path` through `consume(line:)`.
    public mutating func consumeFile(at path: String) throws(UsageIngestError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let e = errno
            throw UsageIngestError(path: path, message: "cannot open (\(String(cString: strerror(e)))); check that the output file was downloaded and is readable", errno: e)
        }
        defer { close(fd) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)   // larger read-ahead on a cold cache
        #endif
        var capacity = chunkBytes
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        var filled = 0
        var skippingOversizedLine = false
        while true {
            if filled == capacity {
                // A full buffer without a newline: the current line is longer than the buffer. It grows to
                // `maxLineBytes` and the newline, why: a line of exactly the limit is within it.
                if capacity < maxLineBytes + 1 {
                    let grown = min(maxLineBytes + 1, capacity * 2)
                    let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 64)
                    bigger.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = bigger
                    capacity = grown
                } else {
                    physicalLine += 1
                    countUnreadable(reason: "line longer than \(maxLineBytes) bytes", oversized: true)
                    skippingOversizedLine = true
                    filled = 0
                }
            }
            let n = systemRead(fd, buffer + filled, capacity - filled)
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                throw UsageIngestError(path: path, message: "read failed (\(String(cString: strerror(e)))) after \(report.bytes) bytes", errno: e)
            }
            if n == 0 {
                if filled > 0, !skippingOversizedLine {
                    consume(line: UnsafeRawBufferPointer(start: buffer, count: filled))
                }
                return
            }
            report.bytes += Int64(n)
            let end = filled + n
            var lineStart = 0
            var scanFrom = filled
            if skippingOversizedLine {
                guard let nl = memchr(buffer + scanFrom, 0x0A, end - scanFrom) else {
                    filled = 0
                    continue
                }
                skippingOversizedLine = false
                lineStart = buffer.distance(to: nl) + 1
                scanFrom = lineStart
            }
            while scanFrom < end, let nl = memchr(buffer + scanFrom, 0x0A, end - scanFrom) {
                let nlIndex = buffer.distance(to: nl)
                consume(line: UnsafeRawBufferPointer(start: buffer + lineStart, count: nlIndex - lineStart))
                lineStart = nlIndex + 1
                scanFrom = lineStart
            }
            let tail = end - lineStart
            if lineStart > 0, tail > 0 { memmove(buffer, buffer + lineStart, tail) }
            filled = tail
        }
    }

    /// Adds one line (without its newline) to the report; blank lines are ignored.
    public mutating func consume(line: UnsafeRawBufferPointer) {
        physicalLine += 1
        if isBlank(line) { return }
        report.lines += 1
        let summary: OutputLineSummary
        do {
            summary = try OutputLineScanner.scan(line)
        } catch {
            countUnreadable(reason: "\(error.reason) at byte \(error.offset + 1)", oversized: false)
            return
        }
        switch summary.outcome {
        case .succeeded:
            report.succeeded += 1
            if summary.usage == nil { report.succeededWithoutUsage += 1 }
        case .failed(let code):
            report.failed += 1
            report.failuresByCode[code, default: 0] += 1
            if report.failureExamples[code] == nil, let message = summary.errorMessage {
                report.failureExamples[code] = String(message.prefix(300))
            }
        }
        // Usage counts wherever the provider reported it: it is what was charged.
        if let usage = summary.usage {
            let model = summary.model ?? fallbackModel ?? UsageIngestReport.unknownModel
            report.usageByModel[model, default: ModelUsage()].add(usage)
        }
        if let shape = summary.shape { report.shapes[shape, default: 0] += 1 }
    }

    private mutating func countUnreadable(reason: String, oversized: Bool) {
        if oversized { report.lines += 1; report.oversized += 1 }
        report.unreadable += 1
        if report.unreadableSamples.count < UsageIngestReport.keptLineNumbers {
            report.unreadableSamples.append(UnreadableLine(line: physicalLine, reason: reason))
        }
    }

    private func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for b in line where !(b == 0x20 || b == 0x09 || b == 0x0D) { return false }
        return true
    }
}

/// `read(2)`, named apart from the `read` methods above.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
