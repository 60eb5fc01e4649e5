import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the requests of a validated input file against the real-time API, writing batch-format result lines.
///
/// Rules:
/// - At most `concurrency` requests in flight, why: the bound is what keeps a big file from tripping
///   the per-minute limits; `RateLimitPacer` slows further when the headers say the window is spent.
/// - Retries are the transport's (the SDK policy of `OpenAIClient`); a request still failing after them
///   gets an error line, as the Batch API gives a failed request, and is not retried by a later run.
/// - The results file is the record: on start it is read back and every `custom_id` in it is skipped,
///   why: a killed run then continues without re-sending anything that already has an answer. A torn
///   last line (killed mid-write) is cut off first.
public struct RealtimeExecutor: Sendable {
    public var transport: any RealtimeTransport
    public var concurrency: Int
    public var clock: any WallClock
    public var sleeper: RetrySleeper

    public init(transport: any RealtimeTransport, concurrency: Int = 8, clock: any WallClock = SystemClock(), sleeper: RetrySleeper = .real) {
        self.transport = transport; self.concurrency = max(1, concurrency); self.clock = clock; self.sleeper = sleeper
    }

    /// Runs every request of `summary`'s file that has no line in `resultsPath` yet.
    public func run(_ summary: InputFileSummary, resultsPath: String) async throws -> RealtimeRunResult {
        guard summary.isValid else { throw RealtimeRunError.invalidInput(path: summary.path, errors: summary.errorCount) }
        let done = try ResultsFile.answeredIDs(at: resultsPath)
        let results = try ResultsFile(path: resultsPath)
        defer { results.close() }
        let source = open(summary.path, O_RDONLY)
        guard source >= 0 else { throw InputFileError(.open, path: summary.path, code: errno) }
        defer { close(source) }
        let pacer = RateLimitPacer(clock: clock)
        let index = summary.index
        let tally = TallyBox()
        let transport = self.transport, sleeper = self.sleeper

        // Lines are read and parsed as they are launched, why: memory stays bounded by the concurrency,
        // not by the file (a 200 MB input would otherwise sit in memory as request bodies).
        var entry = 0
        var skipped = 0
        var sent = 0
        func nextRequest() throws -> PreparedRequest? {
            while entry < index.count {
                let k = entry
                entry += 1
                let line = try Self.readLine(source, offset: index.offsets[k], length: Int(index.lengths[k]), path: summary.path)
                guard let request = PreparedRequest(line: line, entry: k) else {
                    throw RealtimeRunError.unreadableLine(path: summary.path, line: k + 1)
                }
                if done.contains(request.customID) { skipped += 1; continue }
                sent += 1
                return request
            }
            return nil
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            func launch() throws -> Bool {
                guard let request = try nextRequest() else { return false }
                group.addTask {
                    try await Self.send(request, transport: transport, sleeper: sleeper, pacer: pacer, results: results, tally: tally)
                }
                return true
            }
            var running = 0
            while running < concurrency, try launch() { running += 1 }
            while try await group.next() != nil {
                _ = try launch()
            }
        }
        let t = tally.value.withLock { $0 }
        return RealtimeRunResult(resultsPath: resultsPath, total: index.count, skipped: skipped, sent: sent,
                                 succeeded: t.succeeded, failed: t.failed, usageByModel: t.usage)
    }

    struct Tally { var succeeded = 0; var failed = 0; var usage: [String: TokenUsage] = [:] }
    final class TallyBox: Sendable { let value = Mutex(Tally()) }

    /// Sends one request (after any pacing wait) and appends its result line.
    static func send(_ request: PreparedRequest, transport: any RealtimeTransport, sleeper: RetrySleeper,
                     pacer: RateLimitPacer, results: ResultsFile, tally: TallyBox) async throws {
        let wait = pacer.delay()
        if wait > 0 { try await sleeper.sleep(wait) }
        let line: Data
        do {
            let reply = try await transport.post(path: request.url, body: request.body)
            pacer.observe(reply.headers)
            line = ResultLine.success(customID: request.customID, reply: reply)
            let usage = ResultLine.usage(of: reply.body)
            tally.value.withLock { t in
                t.succeeded += 1
                if let usage { t.usage[usage.model] = t.usage[usage.model, default: TokenUsage()] + usage.usage }
            }
        } catch let error as APIError {
            line = ResultLine.failure(customID: request.customID, error: error)
            tally.value.withLock { $0.failed += 1 }
        }
        try results.append(line)
    }

    static func readLine(_ fd: Int32, offset: Int64, length: Int, path: String) throws(InputFileError) -> Data {
        var data = Data(count: length)
        var done = 0
        while done < length {
            let got = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, length - done, off_t(offset + Int64(done))) }
            if got < 0 { if errno == EINTR { continue }; throw InputFileError(.read, path: path, code: errno) }
            if got == 0 { throw InputFileError(.read, path: path, code: EIO) }
            done += got
        }
        return data
    }
}

/// One input line ready to send.
struct PreparedRequest: Sendable {
    var entry: Int
    var customID: String
    var url: String
    var body: Data

    init?(line: Data, entry: Int) {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
              let customID = object["custom_id"] as? String, let url = object["url"] as? String,
              let body = object["body"] as? [String: Any],
              let bodyData = try? JSONSerialization.data(withJSONObject: body) else { return nil }
        self.entry = entry; self.customID = customID; self.url = url; self.body = bodyData
    }
}

/// Why a real-time run could not start or go on.
public enum RealtimeRunError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidInput(path: String, errors: Int)
    case unreadableLine(path: String, line: Int)
    case results(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidInput(let path, let errors): return "\(path) has \(errors) validation error(s); fix them first (batchtop submit --dry-run lists them)"
        case .unreadableLine(let path, let line): return "\(path) line \(line) changed since validation; validate and submit again"
        case .results(let path, let reason): return "cannot use the results file \(path): \(reason); check the path and free space"
        }
    }
}
