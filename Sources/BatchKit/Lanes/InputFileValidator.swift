#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a JSONL batch input file line by line, streaming, and lists every problem by line number.
///
/// Memory stays bounded by the read buffer (grown only for lines longer than it, up to `maxLineBytes` + 1),
/// the `LineIndex` (16 bytes per request) and the duplicate-`custom_id` table (a hash per request).
/// Rule: nothing stops at the first problem, why: a person fixing a file wants the whole list at once;
/// the list is capped at `maxReportedProblems` so a broken 200 MB file doesn't make a 200 MB report.
public struct InputFileValidator: Sendable {
    /// The endpoints a batch input line may target.
    public static let supportedEndpoints = [
        "/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations",
    ]

    /// Requests per batch the provider accepts; more is a notice (the chunker splits).
    public var maxRequestsPerBatch: Int
    /// Embedding inputs per batch the provider accepts (`/v1/embeddings` only); more is a notice.
    public var maxEmbeddingInputsPerBatch: Int
    /// Bytes per batch input file the provider accepts; more is a notice (the chunker splits).
    public var maxBytesPerBatch: Int64
    /// Problems kept in the summary; the rest are only counted.
    public var maxReportedProblems: Int
    /// Longest line read into memory; longer lines are reported and skipped.
    public var maxLineBytes: Int
    /// The largest input file accepted (4 GiB: 20 batches at the provider's 200 MB), checked before
    /// reading and while reading (a file that grows), why: `submit /dev/zero` never ended, and the line
    /// index of a file without bound grows without bound.
    public var maxFileBytes: Int64
    /// Bytes per `read(2)`.
    public var readSize: Int
    /// How request tokens are estimated.
    public var estimator: TokenEstimator

    public init(
        maxRequestsPerBatch: Int = 50_000, maxEmbeddingInputsPerBatch: Int = 50_000, maxBytesPerBatch: Int64 = 200_000_000,
        maxReportedProblems: Int = 1_000, maxLineBytes: Int = 32 << 20, readSize: Int = 4 << 20,
        maxFileBytes: Int64 = 4 << 30, estimator: TokenEstimator = TokenEstimator()
    ) {
        self.maxFileBytes = max(1, maxFileBytes)
        self.maxRequestsPerBatch = maxRequestsPerBatch; self.maxEmbeddingInputsPerBatch = maxEmbeddingInputsPerBatch
        self.maxBytesPerBatch = maxBytesPerBatch
        self.maxReportedProblems = max(0, maxReportedProblems); self.maxLineBytes = max(1024, maxLineBytes)
        self.readSize = max(64, min(readSize, self.maxLineBytes)); self.estimator = estimator
    }

    /// Validates the file at `path`; throws only when it cannot be read.
    public func validate(path: String) throws(InputFileError) -> InputFileSummary {
        // Looked at before opening, why: opening a FIFO for reading blocks until a writer comes.
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputFileError(.open, path: path, code: errno) }
        try checkRegular(info, path: path)
        // O_NONBLOCK: should the path become a FIFO between the two looks, open does not hang either.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw InputFileError(.open, path: path, code: errno) }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw InputFileError(.stat, path: path, code: errno) }
        try checkRegular(info, path: path)
        var checker = LineChecker(validator: self, path: path, fd: fd)
        checker.summary.modifiedAtNanos = InputFileValidator.modificationTime(fd) ?? 0
        var capacity = readSize
        var buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
        defer { buffer.deallocate() }
        var filled = 0
        var bufferOffset: Int64 = 0     // file offset of buffer[0]
        var skipping = false            // inside a line longer than maxLineBytes
        var skipStart: Int64 = 0
        var firstRead = true

        while true {
            let got = read(fd, buffer + filled, capacity - filled)
            if got < 0 {
                if errno == EINTR { continue }
                throw InputFileError(.read, path: path, code: errno)
            }
            let eof = got == 0
            filled += got
            if bufferOffset + Int64(filled) > maxFileBytes {
                throw InputFileError(.tooLarge, path: path, code: 0,
                                     detail: "it grew past \(Self.size(maxFileBytes)) while being read, the most batchtop accepts in one submission")
            }
            var pos = 0
            if firstRead {
                firstRead = false
                let head = buffer.assumingMemoryBound(to: UInt8.self)
                if filled >= 2 && (head[0] == 0xFF && head[1] == 0xFE || head[0] == 0xFE && head[1] == 0xFF) {
                    checker.report(.notUTF8, line: 1, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8")
                    checker.summary.bytes = Int64(filled)
                    return checker.finish(totalBytes: fileSize(fd) ?? Int64(filled), stoppedEarly: true)
                }
                if filled >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF {
                    checker.summary.hasByteOrderMark = true
                    pos = 3
                }
                // Size the index and id table from the first line's length, why: growing them by
                // doubling copies and briefly holds both copies, which dominates peak memory on
                // files of many short lines.
                if let size = fileSize(fd), let nl = memchr(head + pos, 0x0A, filled - pos) {
                    let firstLength = Int64(max(64, head.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1 - pos))
                    checker.reserve(Int(min(size / firstLength + size / firstLength / 8 + 16, 1_000_000)))
                }
            }
            let bytes = buffer.assumingMemoryBound(to: UInt8.self)
            if skipping {
                if let nl = memchr(bytes + pos, 0x0A, filled - pos) {
                    let end = bytes.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                    checker.tooLong(length: bufferOffset + Int64(end) - skipStart)
                    pos = end + 1
                    skipping = false
                } else {
                    pos = filled
                    if eof { checker.tooLong(length: bufferOffset + Int64(filled) - skipStart) }
                }
            }
            while pos < filled, let nl = memchr(bytes + pos, 0x0A, filled - pos) {
                let end = bytes.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                checker.line(UnsafeBufferPointer(start: bytes + pos, count: end - pos), offset: bufferOffset + Int64(pos), terminated: true)
                pos = end + 1
            }
            if eof {
                if pos < filled {
                    checker.line(UnsafeBufferPointer(start: bytes + pos, count: filled - pos), offset: bufferOffset + Int64(pos), terminated: false)
                }
                return checker.finish(totalBytes: bufferOffset + Int64(filled), stoppedEarly: false)
            }
            let rest = filled - pos
            if rest == capacity {
                // One line fills the buffer: grow, or give up on the line and skip to its end. The buffer holds
                // up to `maxLineBytes` and the newline, why: a line of exactly the limit is within it (it was
                // reported as "longer than the limit", found by the JSONL fuzz target).
                if capacity < maxLineBytes + 1 {
                    let bigger = min(capacity * 2, maxLineBytes + 1)
                    let grown = UnsafeMutableRawPointer.allocate(byteCount: bigger, alignment: 64)
                    grown.copyMemory(from: buffer, byteCount: filled)
                    buffer.deallocate()
                    buffer = grown
                    capacity = bigger
                    continue
                }
                skipping = true
                skipStart = bufferOffset
                bufferOffset += Int64(filled)
                filled = 0
                continue
            }
            if pos > 0 && rest > 0 { memmove(buffer, buffer + pos, rest) }
            bufferOffset += Int64(pos)
            filled = rest
        }
    }

    /// Refuses anything but a regular file of at most `maxFileBytes`.
    private func checkRegular(_ info: stat, path: String) throws(InputFileError) {
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            let kind = switch type {
            case S_IFCHR: "a character device"
            case S_IFBLK: "a block device"
            case S_IFIFO: "a FIFO (named pipe)"
            case S_IFSOCK: "a socket"
            case S_IFDIR: "a directory"
            default: "a special file"
            }
            throw InputFileError(.notRegularFile, path: path, code: 0, detail: kind)
        }
        if Int64(info.st_size) > maxFileBytes {
            throw InputFileError(.tooLarge, path: path, code: 0,
                                 detail: "it is \(Self.size(Int64(info.st_size))), more than the \(Self.size(maxFileBytes)) batchtop accepts in one submission")
        }
    }

    /// `4.0 GB`, `12 MB`, `512 bytes`.
    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MB" }
        return "\(bytes) bytes"
    }

    /// Modification time of an open file in unix nanoseconds.
    static func modificationTime(_ fd: Int32) -> Int64? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        #if canImport(Darwin)
        return Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
    }

    private func fileSize(_ fd: Int32) -> Int64? {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int64(info.st_size) : nil
    }
}

/// The per-line rules and the running state of one validation.
private struct LineChecker {
    let validator: InputFileValidator
    let path: String
    let fd: Int32
    let scanner = JSONLineScanner()
    var stack: [Bool] = []
    static let post = Array("POST".utf8)
    var summary: InputFileSummary
    var lineNumber = 0
    var blankRun: (first: Int, last: Int)?
    var endpointBytes: [UInt8]?
    var endpointLine = 0
    var modelBytes: [UInt8]?
    var modelLine = 0
    var tokenTotal: Int64 = 0
    /// Hash of a custom_id -> index entry of the first line that used it.
    var customIDs: [Int: UInt32] = [:]
    /// (entry, line) pairs where entry numbering and line numbering start to differ (after blank lines).
    var lineShifts: [(entry: Int, line: Int)] = []

    init(validator: InputFileValidator, path: String, fd: Int32) {
        self.validator = validator; self.path = path; self.fd = fd
        summary = InputFileSummary(path: path)
    }

    mutating func reserve(_ lines: Int) {
        summary.index.reserveCapacity(lines)
        customIDs.reserveCapacity(lines)
    }

    mutating func report(_ kind: InputProblem.Kind, line: Int, lastLine: Int? = nil, column: Int? = nil, _ message: String) {
        summary.problemCount += 1
        if kind.severity == .error { summary.errorCount += 1 }
        summary.countsByKind[kind, default: 0] += 1
        if summary.problems.count < validator.maxReportedProblems {
            summary.problems.append(InputProblem(kind: kind, line: line, lastLine: lastLine, column: column, message: message))
        }
    }

    /// A blank line only counts as a problem once a request follows it.
    mutating func flushBlankRun() {
        guard let run = blankRun else { return }
        blankRun = nil
        let what = run.first == run.last ? "blank line" : "\(run.last - run.first + 1) blank lines"
        report(.blankLine, line: run.first, lastLine: run.last,
               "\(what) between requests; remove \(run.first == run.last ? "it" : "them") (only trailing blank lines are allowed)")
        lineShifts.append((entry: summary.index.count, line: lineNumber))
    }

    mutating func tooLong(length: Int64) {
        lineNumber += 1
        flushBlankRun()
        summary.requests += 1
        summary.index.append(offset: 0, length: 0, tokens: 0)
        report(.lineTooLong, line: lineNumber,
               "line is \(length) bytes, longer than the \(validator.maxLineBytes)-byte limit per line; split the request or raise the limit")
    }

    mutating func line(_ raw: UnsafeBufferPointer<UInt8>, offset: Int64, terminated: Bool) {
        lineNumber += 1
        var line = raw
        if line.count > 0 && line[line.count - 1] == 0x0D {
            line = UnsafeBufferPointer(rebasing: line[0..<(line.count - 1)])
            if terminated { summary.crlfLines += 1 }
        }
        var k = 0
        while k < line.count, line[k] == 0x20 || line[k] == 0x09 || line[k] == 0x0D { k += 1 }
        if k == line.count {
            if let run = blankRun { blankRun = (run.first, lineNumber) } else { blankRun = (lineNumber, lineNumber) }
            return
        }
        flushBlankRun()
        summary.requests += 1
        let entry = summary.index.count
        switch scanner.scan(line, reusing: &stack) {
        case .failure(let error):
            summary.index.append(offset: offset, length: line.count, tokens: 0)
            if error.kind == .encoding {
                report(.notUTF8, line: lineNumber, column: error.column, "\(error.message); save the file as UTF-8")
            } else if error.column == 1 + k, line[k] != UInt8(ascii: "{") {
                report(.notAnObject, line: lineNumber, column: error.column, error.message)
            } else {
                report(.invalidJSON, line: lineNumber, column: error.column, "invalid JSON: \(error.message)")
            }
        case .success(let request):
            var bodyLength = 0
            if case .object(let start, let end) = request.body { bodyLength = end - start }
            let tokens = validator.estimator.estimate(bodyBytes: bodyLength)
            tokenTotal += Int64(tokens)
            summary.index.append(offset: offset, length: line.count, tokens: tokens, inputs: request.embeddingInputs)
            summary.embeddingInputs += Int64(request.embeddingInputs)
            check(request, in: line, entry: entry)
        }
    }

    mutating func check(_ request: ScannedRequest, in line: UnsafeBufferPointer<UInt8>, entry: Int) {
        if let key = request.duplicateKey {
            report(.duplicateKey, line: lineNumber, "key \"\(key)\" appears twice; keep one (parsers disagree on which wins)")
        }
        switch request.customID {
        case .absent:
            report(.missingCustomID, line: lineNumber, "missing \"custom_id\"; every request needs a unique string id")
        case .other(let kind):
            report(.customIDNotString, line: lineNumber, "\"custom_id\" must be a string, found \(kind)")
        case .string(let slice):
            checkCustomID(slice, in: line, entry: entry)
        }
        switch request.method {
        case .absent:
            report(.methodNotPost, line: lineNumber, "missing \"method\"; it must be \"POST\"")
        case .other(let kind):
            report(.methodNotPost, line: lineNumber, "\"method\" must be the string \"POST\", found \(kind)")
        case .string(let slice):
            if !equals(slice, in: line, LineChecker.post) {
                report(.methodNotPost, line: lineNumber, "\"method\" is \(quoted(slice, in: line)); it must be \"POST\"")
            }
        }
        checkURL(request.url, in: line)
        switch request.body {
        case .absent:
            report(.missingBody, line: lineNumber, "missing \"body\"; it holds the request (an object with \"model\")")
        case .other(let kind):
            report(.bodyNotObject, line: lineNumber, "\"body\" must be an object, found \(kind)")
        case .object:
            checkModel(request.model, in: line)
        }
    }

    mutating func checkCustomID(_ slice: StringSlice, in line: UnsafeBufferPointer<UInt8>, entry: Int) {
        guard slice.rawLength > 0 else {
            report(.emptyCustomID, line: lineNumber, "\"custom_id\" is empty; results are joined by it, so give each request a unique id")
            return
        }
        // Hash the raw bytes when there are no escapes, why: no allocation per line on the common path.
        var hasher = Hasher()
        if slice.hasEscapes {
            JSONLineScanner.valueBytes(slice, in: line).withUnsafeBytes { hasher.combine(bytes: $0) }
        } else {
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(line)[slice.start..<slice.end]))
        }
        let hash = hasher.finalize()
        guard let earlier = customIDs[hash] else {
            customIDs[hash] = UInt32(entry)
            return
        }
        // Same hash: confirm by reading the earlier line again, why: ids are kept as hashes to bound memory.
        let value = JSONLineScanner.valueBytes(slice, in: line)
        guard earlierCustomID(entry: Int(earlier)) == value else { return }
        report(.duplicateCustomID, line: lineNumber,
               "duplicate \"custom_id\" \(display(value)): line \(lineOf(entry: Int(earlier))) already uses it; custom_id must be unique in the file")
    }

    mutating func checkURL(_ field: ScannedField, in line: UnsafeBufferPointer<UInt8>) {
        let slice: StringSlice
        switch field {
        case .absent:
            report(.missingURL, line: lineNumber, "missing \"url\"; use the batch's endpoint, e.g. \"/v1/chat/completions\"")
            return
        case .other(let kind):
            report(.unsupportedURL, line: lineNumber, "\"url\" must be a string, found \(kind)")
            return
        case .string(let s): slice = s
        }
        if let endpointBytes, equals(slice, in: line, endpointBytes) { return }
        let value = JSONLineScanner.valueBytes(slice, in: line)
        let text = String(decoding: value, as: UTF8.self)
        guard InputFileValidator.supportedEndpoints.contains(text) else {
            report(.unsupportedURL, line: lineNumber,
                   "\"url\" \(display(value)) is not a batch endpoint; use one of \(InputFileValidator.supportedEndpoints.joined(separator: ", "))")
            return
        }
        guard let endpointBytes else {
            endpointBytes = value; endpointLine = lineNumber; summary.endpoint = text
            return
        }
        report(.mixedURL, line: lineNumber,
               "\"url\" \(display(value)) differs from \(display(endpointBytes)) used since line \(endpointLine); a batch file targets one endpoint, so split the file by url")
    }

    mutating func checkModel(_ field: ScannedField, in line: UnsafeBufferPointer<UInt8>) {
        switch field {
        case .absent:
            report(.missingModel, line: lineNumber, "\"body\" has no \"model\"; add the model name to every request's body")
        case .other(let kind):
            report(.modelNotString, line: lineNumber, "\"body.model\" must be a string, found \(kind)")
        case .string(let slice):
            if let modelBytes, equals(slice, in: line, modelBytes) { return }
            let value = JSONLineScanner.valueBytes(slice, in: line)
            guard let modelBytes else {
                modelBytes = value; modelLine = lineNumber; summary.model = String(decoding: value, as: UTF8.self)
                return
            }
            report(.mixedModel, line: lineNumber,
                   "model \(display(value)) differs from \(display(modelBytes)), the model the file started with (line \(modelLine)); a batch file uses one model, so split the file by model")
        }
    }

    /// Compares a string field's value with `expected` without allocating on the common path.
    func equals(_ slice: StringSlice, in line: UnsafeBufferPointer<UInt8>, _ expected: [UInt8]) -> Bool {
        if slice.hasEscapes { return JSONLineScanner.valueBytes(slice, in: line) == expected }
        guard slice.rawLength == expected.count else { return false }
        return expected.withUnsafeBufferPointer { memcmp(line.baseAddress! + slice.start, $0.baseAddress!, expected.count) == 0 }
    }

    func quoted(_ slice: StringSlice, in line: UnsafeBufferPointer<UInt8>) -> String {
        display(JSONLineScanner.valueBytes(slice, in: line))
    }

    /// A value for a message: quoted, control characters escaped, cut at 80 characters.
    func display(_ bytes: [UInt8]) -> String {
        var text = ""
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars.prefix(80) {
            text += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        if bytes.count > 80 { text += "..." }
        return "\"\(text)\""
    }

    /// The line number of index entry `entry` (they differ only after blank lines).
    func lineOf(entry: Int) -> Int {
        var line = entry + 1
        for shift in lineShifts where shift.entry <= entry { line = shift.line + (entry - shift.entry) }
        return line
    }

    /// Re-reads an earlier line and returns its custom_id value.
    func earlierCustomID(entry: Int) -> [UInt8]? {
        let offset = summary.index.offsets[entry]
        let length = Int(summary.index.lengths[entry])
        var bytes = [UInt8](repeating: 0, count: length)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
        guard got == length else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
            guard case .success(let request) = scanner.scan(buffer), case .string(let slice) = request.customID else { return nil }
            return JSONLineScanner.valueBytes(slice, in: buffer)
        }
    }

    mutating func finish(totalBytes: Int64, stoppedEarly: Bool) -> InputFileSummary {
        summary.bytes = totalBytes
        summary.lines = lineNumber
        summary.estimatedInputTokens = TokenCount(value: tokenTotal, exact: false)
        // A trailing run of blank lines is fine, like the service: it is simply not a request.
        blankRun = nil
        guard !stoppedEarly else { return summary }
        if summary.requests == 0 {
            report(.emptyFile, line: 0, "the file has no requests; each line must be one JSON request")
        }
        if summary.hasByteOrderMark {
            report(.byteOrderMark, line: 1, "the file starts with a UTF-8 byte-order mark; batchtop leaves it out of the uploaded chunks")
        }
        if summary.crlfLines > 0 {
            report(.crlfLineEndings, line: 0, "\(summary.crlfLines) lines end in CRLF; batchtop uploads them with LF endings")
        }
        if summary.requests > validator.maxRequestsPerBatch {
            report(.overRequestLimit, line: 0,
                   "\(summary.requests) requests is over the \(validator.maxRequestsPerBatch) per batch; batchtop splits the file into chunks, one batch each")
        }
        if summary.endpoint == "/v1/embeddings" && summary.embeddingInputs > Int64(validator.maxEmbeddingInputsPerBatch) {
            report(.overEmbeddingInputLimit, line: 0,
                   "\(summary.embeddingInputs) embedding inputs is over the \(validator.maxEmbeddingInputsPerBatch) per batch; batchtop splits the file into chunks, one batch each")
        }
        if totalBytes > validator.maxBytesPerBatch {
            report(.overByteLimit, line: 0,
                   "\(totalBytes) bytes is over the \(validator.maxBytesPerBatch)-byte limit per batch file; batchtop splits the file into chunks, one batch each")
        }
        return summary
    }
}
