import ArgumentParser
import BatchKit
import Foundation

/// `batchtop queue`: per lane, chunks held locally, jobs by status, pending requests, tokens vs limits.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show queue depth per lane: held chunks, jobs by provider status, pending requests, enqueued tokens per model.",
        discussion: """
            --json writes {"schema":"batchtop.queue/v1","at":...,"limits_source":...,"lanes":[...],"held":[...]}. \
            Limits come from [lanes.limits] only (no network call); fields are only ever added within v1.
            """)

    @Flag(name: .long, help: "Write the versioned JSON contract (batchtop.queue/v1).")
    var json = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    struct Output: Encodable {
        var schema = "batchtop.queue/v1"
        var at: Int64
        var limitsSource: String
        var lanes: [QueueDepth]
        var held: [HeldRow]
        enum CodingKeys: String, CodingKey { case schema, at, lanes, held; case limitsSource = "limits_source" }
    }

    struct HeldRow: Encodable {
        var chunk: String
        var state: String
        var requests: Int
        var estimatedTokens: Int64
        var lastError: String?
        enum CodingKeys: String, CodingKey { case chunk, state, requests; case estimatedTokens = "estimated_tokens"; case lastError = "last_error" }
    }

    func run() async throws {
        let context = try await LanesContext.load(configOptions: configOptions, database: database, fetchLimits: false)
        let now = SystemClock().unixNow()
        let pump = SubmissionPump(api: NoNetworkAPI(), store: context.store, clock: SystemClock(), limits: context.limits,
                                  workDirectory: context.config.paths.dataDirectory.value)
        let depths = try pump.depth()
        let queued = try context.store.queuedChunks(states: [.held, .uploading, .uploaded, .creating])
        let held = queued.map {
            HeldRow(chunk: $0.record.id, state: $0.record.state.rawValue, requests: $0.record.chunk.requestCount,
                    estimatedTokens: $0.record.chunk.estimatedTokens.value, lastError: $0.record.lastError)
        }
        if json {
            return try printJSON(Output(at: now, limitsSource: context.limitsSource, lanes: depths, held: held), keys: .convertToSnakeCase)
        }
        var out: [SafeText] = []
        for d in depths {
            let statuses = d.jobsByStatus.sorted { $0.key < $1.key }.map { "\(UntrustedText.singleLine($0.key, limit: 32)) \($0.value)" }.joined(separator: ", ")
            let bracket = statuses.isEmpty ? "" : " [\(statuses)]"
            out.append("\(d.lane): \(d.heldChunks) chunk(s) held (\(d.heldRequests) requests), \(d.inFlightJobs) job(s) in flight\(bracket), \(d.pendingRequests) pending requests")
            for m in d.models {
                let limit = m.limit.map { " of \($0) limit" } ?? " (no limit known)"
                out.append("  \(m.model, limit: 64): \(m.enqueued.value) enqueued\(limit), \(m.held.value) held\(m.enqueued.exact ? "" : " (estimated)")")
            }
            if d.unestimatedJobs > 0 { out.append("  \(d.unestimatedJobs) job(s) not created by batchtop are not counted") }
            let history = try context.store.queueSamples(lane: d.lane, since: now - 86_400).map { $0.inFlightJobs + $0.heldChunks }
            if history.count > 1 { out.append("  last 24h (in flight + held): \(Self.sparkline(history, width: 48))") }
        }
        for row in held {
            var line: SafeText = "  \(row.state) \(row.chunk, limit: 80): \(row.requests) requests, ~\(row.estimatedTokens) tokens"
            if let error = row.lastError { line += " — \(error, limit: 300)" }
            out.append(line)
        }
        out.append("limits: \(context.limitsSource)")
        say(SafeText.joined(out, separator: "\n"))
    }
}

extension QueueCommand {
    /// The values as block characters, bucketed (max per bucket) to at most `width` columns.
    static func sparkline(_ values: [Int], width: Int) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let size = max(1, (values.count + width - 1) / width)
        let buckets = stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)].max() ?? 0 }
        let top = max(1, buckets.max() ?? 1)
        return String(buckets.map { blocks[min(blocks.count - 1, $0 * (blocks.count - 1) / top)] })
    }
}

/// A `BatchAPI` for read-only views: every call fails, so nothing reaches the network.
struct NoNetworkAPI: BatchAPI {
    struct Refused: Error, CustomStringConvertible { var description = "this view makes no API calls" }
    func listBatches(after: String?, limit: Int) async throws -> BatchPage { throw Refused() }
    func retrieveBatch(id: String) async throws -> Batch { throw Refused() }
    func createBatch(_ request: CreateBatchRequest) async throws -> Batch { throw Refused() }
    func cancelBatch(id: String) async throws -> Batch { throw Refused() }
    func uploadFile(at path: URL, purpose: String) async throws -> FileObject { throw Refused() }
    func retrieveFile(id: String) async throws -> FileObject { throw Refused() }
    func downloadFileContent(id: String, to destination: URL) async throws -> Int64 { throw Refused() }
    func deleteFile(id: String) async throws { throw Refused() }
}
