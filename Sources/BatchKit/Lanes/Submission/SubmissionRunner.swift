import Foundation

/// `batchtop submit` without the terminal: validate, route, plan, persist, then pump or execute.
///
/// Resume rule: submitting the same file (same path, size and modification time) with the same
/// workload continues the unfinished submission instead of starting a new one; `resumeID` names one
/// explicitly. Why automatic: re-running the command that was killed is what a person does.
public struct SubmissionRunner: Sendable {
    /// Which lane was asked for.
    public enum LaneChoice: String, Sendable, Hashable, CaseIterable {
        case auto, batch, realtime
    }

    /// What to submit.
    public struct Request: Sendable, Hashable {
        public var path: String
        public var workload: String
        public var lane: LaneChoice
        /// Unix seconds.
        public var deadline: Int64?
        public var dryRun: Bool
        /// Continue this submission (its file must be unchanged).
        public var resumeID: String?
        /// Real-time lane: the results file; default `<file without .jsonl>.results.jsonl`.
        public var resultsPath: String?

        public init(path: String, workload: String, lane: LaneChoice = .auto, deadline: Int64? = nil, dryRun: Bool = false,
                    resumeID: String? = nil, resultsPath: String? = nil) {
            self.path = path; self.workload = workload; self.lane = lane; self.deadline = deadline; self.dryRun = dryRun
            self.resumeID = resumeID; self.resultsPath = resultsPath
        }
    }

    /// What happened.
    public enum Outcome: Sendable {
        /// The file has errors; nothing was uploaded or stored.
        case invalid(InputFileReport)
        /// `--dry-run`: the plan, nothing stored or sent.
        case plan(SubmissionPlan, lane: Lane, reason: String)
        /// Batch lane: stored and pumped once.
        case batch(SubmissionRecord, resumed: Bool, SubmissionPump.Report)
        /// Real-time lane: run (or continued) to the end.
        case realtime(SubmissionRecord, resumed: Bool, RealtimeRunResult)
    }

    public var store: BatchStore
    public var pump: SubmissionPump
    public var executor: RealtimeExecutor?
    public var routing: RoutingPolicy
    /// Approved routing decisions in force (`BatchStore.workloadOverrides()`); they win over rules.
    public var overrides: [WorkloadOverride] = []
    public var chunkLimits: ChunkLimits
    /// The configured price table for the dry run's cost and the real-time ledger; nil prices nothing.
    public var prices: PriceTable?
    /// The zone spend days are counted in (`[spend] time_zone`).
    public var spendTimeZone: TimeZone = CalendarDay.utc
    public var clock: any WallClock

    public init(store: BatchStore, pump: SubmissionPump, executor: RealtimeExecutor?, routing: RoutingPolicy = RoutingPolicy(),
                chunkLimits: ChunkLimits = ChunkLimits(), prices: PriceTable?,
                clock: any WallClock) {
        self.store = store; self.pump = pump; self.executor = executor; self.routing = routing
        self.chunkLimits = chunkLimits; self.prices = prices; self.clock = clock
    }

    /// Runs the request.
    public func run(_ request: Request) async throws -> Outcome {
        let path = Self.absolute(request.path)
        let validator = InputFileValidator(maxRequestsPerBatch: chunkLimits.maxRequests, maxBytesPerBatch: chunkLimits.maxBytes)
        let summary = try validator.validate(path: path)
        guard summary.isValid, let endpoint = summary.endpoint, let model = summary.model else {
            return .invalid(InputFileReport(summary))
        }
        let now = clock.unixNow()

        var existing: SubmissionRecord?
        if let id = request.resumeID {
            guard let found = try store.submission(id: id) else { throw SubmitError.unknownSubmission(id) }
            guard found.sourcePath == path, found.sourceBytes == summary.bytes,
                  found.sourceModifiedAtNanos == summary.modifiedAtNanos else {
                throw SubmitError.sourceChanged(id: id, path: found.sourcePath)
            }
            existing = found
        } else if !request.dryRun {
            existing = try store.openSubmission(sourcePath: path, workload: request.workload, bytes: summary.bytes,
                                                modifiedAtNanos: summary.modifiedAtNanos)
        }

        let lane: Lane
        let reason: String
        if let existing {
            lane = existing.lane; reason = existing.routeReason + " (resumed \(existing.id))"
        } else {
            switch request.lane {
            case .batch: lane = .batch; reason = "batch: chosen with --lane batch"
            case .realtime: lane = .realtime; reason = "realtime: chosen with --lane realtime"
            case .auto:
                let route = Router(policy: routing, overrides: overrides).route(workload: request.workload, endpoint: endpoint, model: model)
                lane = route.lane; reason = route.explanation
            }
        }
        if lane == .realtime && !["/v1/chat/completions", "/v1/responses", "/v1/embeddings"].contains(endpoint) {
            throw SubmitError.realtimeEndpoint(endpoint)
        }

        var limits = chunkLimits
        if let tokenLimit = pump.limits.limit(for: model) {
            // Every chunk must fit under the enqueued-token limit, or it could never be admitted.
            limits.maxEstimatedTokens = min(limits.maxEstimatedTokens ?? tokenLimit, tokenLimit)
        }
        let chunks = lane == .batch ? try ChunkPlanner(limits: limits).plan(summary) : []

        if request.dryRun {
            let id = "dry-run"
            let held = chunks.map { HeldChunk(submissionID: id, chunk: $0, model: model, heldSince: now) }
            // The real-time lane has no enqueued-token queue: it starts now.
            let forecast = lane == .batch
                ? AdmissionController(limits: pump.limits).forecast(
                    held: held, jobs: try store.nonTerminalJobs(), estimates: try store.chunkTokenEstimates(), now: now)
                : [AdmissionForecast(chunkID: "\(id)#0", admitAt: now, reason: "real-time lane: runs now")]
            let planChunks = lane == .batch ? chunks : [Chunk(
                index: 0, firstLine: 1, lastLine: summary.requests, entries: 0..<summary.index.count,
                byteRange: 0..<summary.bytes, requestCount: summary.requests, uploadBytes: summary.bytes,
                estimatedTokens: summary.estimatedInputTokens)]
            let plan = SubmissionPlan(summary: summary, chunks: planChunks, forecast: forecast, submissionID: id) { model, lane, tokens in
                prices?.rates(for: model, lane: lane)?.input.cost(ofTokens: tokens)
            }
            return .plan(plan, lane: lane, reason: reason)
        }

        let submission: SubmissionRecord
        if let existing {
            submission = existing
        } else {
            let id = "sub_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let results = lane == .realtime ? (request.resultsPath.map(Self.absolute) ?? Self.defaultResultsPath(for: path)) : nil
            submission = SubmissionRecord(
                id: id, workload: request.workload, lane: lane, endpoint: endpoint, model: model, sourcePath: path,
                sourceBytes: summary.bytes, sourceModifiedAtNanos: summary.modifiedAtNanos, deadline: request.deadline,
                routeReason: reason, resultsPath: results, createdAt: now)
            try store.createSubmission(submission, chunks: chunks.map { ChunkRecord(submissionID: id, chunk: $0, heldSince: now) })
        }

        switch lane {
        case .batch:
            return .batch(submission, resumed: existing != nil, try await pump.step())
        case .realtime:
            guard let executor else { throw SubmitError.noRealtimeExecutor }
            let started = clock.unixNow()
            let result = try await executor.run(summary, resultsPath: submission.resultsPath ?? Self.defaultResultsPath(for: path))
            try recordSpend(result, of: submission, startedAt: started)
            try store.setSubmissionState(id: submission.id, .done, at: clock.unixNow())
            return .realtime(submission, resumed: existing != nil, result)
        }
    }

    /// Records this run's usage in the spend ledger as real-time spend, one entry per model.
    ///
    /// Key `<submission>@<start>:<model>`, why: a resumed run only reports the requests it sent, so each
    /// run is its own entry and a rerun of the same run (same start) replaces rather than adds.
    func recordSpend(_ result: RealtimeRunResult, of submission: SubmissionRecord, startedAt: Int64) throws {
        guard let prices, !result.usageByModel.isEmpty else { return }
        let finished = clock.unixNow()
        // One model per file, so every answered request belongs to the one model the answers name.
        let entries = result.usageByModel.keys.sorted().map { model in
            LedgerBuilder.realtimeEntry(
                RealtimeExecution(id: "\(submission.id)@\(startedAt):\(model)", model: model, workload: submission.workload,
                                  usage: result.usageByModel[model]!, requests: Int64(result.succeeded), finishedAt: finished),
                prices: prices, timeZone: spendTimeZone)
        }
        try store.replaceSpend(entries, at: finished)
    }

    /// `<dir>/<name without .jsonl>.results.jsonl`.
    public static func defaultResultsPath(for path: String) -> String {
        let base = path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path
        return base + ".results.jsonl"
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }
}

/// Why a submission could not go ahead, and what to do.
public enum SubmitError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownSubmission(String)
    case sourceChanged(id: String, path: String)
    case realtimeEndpoint(String)
    case noRealtimeExecutor

    public var description: String {
        switch self {
        case .unknownSubmission(let id): return "no submission \(id) in this database; `batchtop queue` lists the active ones"
        case .sourceChanged(let id, let path):
            return "\(path) is not the file submission \(id) was made from (path, size or modification time differ); submit it as a new submission instead of --resume"
        case .realtimeEndpoint(let e): return "the real-time lane runs /v1/chat/completions, /v1/responses and /v1/embeddings, not \(e); use --lane batch"
        case .noRealtimeExecutor: return "no real-time executor configured"
        }
    }
}
