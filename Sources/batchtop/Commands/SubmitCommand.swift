import ArgumentParser
import BatchKit
import Foundation

/// `batchtop submit FILE.jsonl --workload W`: validate, route, chunk, and send down a lane.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Validate a JSONL file of requests and send it down the batch or real-time lane.",
        discussion: """
            Nothing is uploaded when the file has errors: every problem is listed by line and the exit code is 1.
            Batch lane: the file is split into chunks within the per-batch limits ([lanes] in config.toml) and \
            each chunk becomes one batch tagged with workload, lane, submission and chunk. Chunks that would pass a \
            model's enqueued-token limit wait in the local queue (`batchtop queue`); --wait keeps admitting them \
            until every chunk's batch has finished. Re-running the same command (same file, unchanged, same \
            workload) resumes an unfinished submission; --resume ID names one. Real-time lane: requests run \
            against the API with bounded concurrency and results go to FILE.results.jsonl in the Batch output format.
            """)

    @Argument(help: ArgumentHelp("The JSONL file of batch requests.", valueName: "file"))
    var file: String

    @Option(name: .long, help: "The workload name (routing rules and metadata use it).")
    var workload: String

    @Option(name: .long, help: "auto (routing rules), batch or realtime.")
    var lane: String = "auto"

    @Option(name: .long, help: ArgumentHelp("When results are needed: +6h, 2d, an ISO 8601 time or unix seconds.", valueName: "time"))
    var deadline: String?

    @Option(name: .long, help: ArgumentHelp("Continue this submission.", valueName: "id"))
    var resume: String?

    @Option(name: .long, help: ArgumentHelp("Real-time lane: where results go.", valueName: "path"))
    var results: String?

    @Flag(name: .long, help: "Print the plan (chunks, estimated tokens and cost per lane, admission times); send nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Batch lane: keep admitting held chunks until every chunk's batch has finished.")
    var wait = false

    @Option(name: .long, help: ArgumentHelp("With --wait: seconds between admission steps.", valueName: "seconds"))
    var interval: Double = 30

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if workload.isEmpty || workload.count > 512 { throw ValidationError("--workload must be 1 to 512 characters") }
        if SubmissionRunner.LaneChoice(rawValue: lane) == nil { throw ValidationError("--lane must be auto, batch or realtime") }
        if !(interval >= 1 && interval <= 3600) { throw ValidationError("--interval must be 1 to 3600 seconds") }
    }

    func run() async throws {
        let clock = SystemClock()
        let context = try await LanesContext.load(configOptions: configOptions, database: database, fetchLimits: true)
        // Rule: a missing key fails only when something is sent, why: validating and --dry-run need none.
        let api: any BatchAPI & RealtimeTransport
        do { api = try OpenAIClient(config: context.config) } catch { api = MissingKeyAPI(error: error) }
        let pump = context.pump(api: api, clock: clock)
        var runner = SubmissionRunner(
            store: context.store, pump: pump,
            executor: RealtimeExecutor(transport: api, concurrency: context.settings.realtimeConcurrency, clock: clock),
            chunkLimits: context.settings.chunkLimits, clock: clock)
        runner.spendTimeZone = context.config.spend.timeZone
        // Routing rules from [routing] (the operations settings own the parsing) and approved decisions.
        runner.routing = try exitOnConfigError {
            try OperationsSettings.parse(context.config.reservedSections, path: context.config.paths.configFile.value.path)
        }.policy
        runner.overrides = try context.store.workloadOverrides()
        let request = SubmissionRunner.Request(
            path: file, workload: workload, lane: SubmissionRunner.LaneChoice(rawValue: lane) ?? .auto,
            deadline: try deadline.map { try DeadlineArgument.parse($0, now: clock.unixNow()) }, dryRun: dryRun,
            resumeID: resume, resultsPath: results)
        let outcome = try await runner.run(request)
        let lines = SubmitText.lines(outcome, now: clock.unixNow(), limitsSource: context.limitsSource)
        say(SafeText.joined(lines, separator: "\n"))
        switch outcome {
        case .invalid: throw ExitCode(1)
        case .batch(let submission, _, _) where wait:
            while try context.store.submission(id: submission.id)?.state == .active {
                try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                let report = try await pump.step()
                // Only steps that changed something are worth a line.
                if !(report.created.isEmpty && report.requeued.isEmpty && report.failed.isEmpty && report.errors.isEmpty) {
                    say(SubmitText.stepLine(report, now: clock.unixNow()))
                }
            }
            let final = try context.store.submission(id: submission.id)
            say("submission \(submission.id): \(final?.state.rawValue ?? "unknown")")
            if final?.state == .failed { throw ExitCode(1) }
        default: break
        }
    }
}

/// Parses `--deadline`: a duration from now (`+6h`, `90m`, `2d`), an ISO 8601 time or unix seconds.
enum DeadlineArgument {
    static func parse(_ text: String, now: Int64) throws -> Int64 {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(t), t.count >= 9 { return seconds }
        if t.hasPrefix("+") { t.removeFirst() }
        if let unit = t.last, let amount = Int64(t.dropLast()), amount >= 0,
           let scale = ["s": Int64(1), "m": 60, "h": 3600, "d": 86_400, "w": 604_800][unit] {
            return now + amount * scale
        }
        if let date = ISO8601DateFormatter().date(from: t) { return Int64(date.timeIntervalSince1970) }
        throw CommandFailure("--deadline \(text.debugDescription) is not understood; use +6h, 2d, an ISO 8601 time (2026-12-01T08:00:00Z) or unix seconds")
    }
}

/// Stands in for the client when no API key is configured: every call fails with the config error.
struct MissingKeyAPI: BatchAPI, RealtimeTransport {
    let error: any Error
    func listBatches(after: String?, limit: Int) async throws -> BatchPage { throw error }
    func retrieveBatch(id: String) async throws -> Batch { throw error }
    func createBatch(_ request: CreateBatchRequest) async throws -> Batch { throw error }
    func cancelBatch(id: String) async throws -> Batch { throw error }
    func uploadFile(at path: URL, purpose: String) async throws -> FileObject { throw error }
    func retrieveFile(id: String) async throws -> FileObject { throw error }
    func downloadFileContent(id: String, to destination: URL) async throws -> Int64 { throw error }
    func deleteFile(id: String) async throws { throw error }
    func post(path: String, body: Data) async throws -> RealtimeReply { throw error }
}
