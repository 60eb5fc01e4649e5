import Foundation
import Synchronization

/// One admission step over the local queue: settle what a killed run left half-done, re-queue batches
/// that failed on the enqueued-token limit, admit held chunks that fit, and sample the queue depth.
///
/// The sync worker or `submit --wait` calls `step()` each cycle. Rules:
/// - A chunk's state is written before each request it leads to, why: a killed run resumes from it.
/// - A resumed `creating` chunk is reconciled by its tag before any new create, why: its create may
///   have made a batch whose response was lost with the process.
/// - A `creating` chunk leaves that state only through reconciliation: a failed listing leaves it
///   `creating`, why: resetting it would create again without knowing whether the first create made a batch.
/// - Errors of one chunk (`APIError`) are recorded on it and the step goes on; anything else aborts.
public struct SubmissionPump: Sendable {
    public var api: any BatchAPI
    public var store: BatchStore
    public var clock: any WallClock
    public var limits: AdmissionLimits
    /// Where chunk files are written before upload (removed after).
    public var workDirectory: URL
    /// Who the audit rows name.
    public var actor: String
    public var requeue: RequeuePolicy
    private let summaries = SummaryCache()
    /// The audit action of an automatic re-queue.
    public static let requeueAuditAction = "lanes.requeue"
    /// The `create_intents.kind` of a chunk's create.
    public static let intentKind = "submit"

    public init(api: any BatchAPI, store: BatchStore, clock: any WallClock, limits: AdmissionLimits, workDirectory: URL,
                actor: String = "batchtop", requeue: RequeuePolicy = RequeuePolicy()) {
        self.api = api; self.store = store; self.clock = clock; self.limits = limits
        self.workDirectory = workDirectory; self.actor = actor; self.requeue = requeue
    }

    /// What one step did.
    public struct Report: Sendable, Hashable {
        /// Chunk ids that became batches this step.
        public var created: [String] = []
        /// Chunk ids re-queued after `token_limit_exceeded`.
        public var requeued: [String] = []
        /// Chunk ids still held, with the reason.
        public var held: [String: String] = [:]
        /// Chunk ids that failed for good, with the reason.
        public var failed: [String: String] = [:]
        /// Chunk ids left with an error to retry next step.
        public var errors: [String: String] = [:]
        /// The depth per lane after the step.
        public var depth: [QueueDepth] = []
    }

    /// Runs one step.
    public func step() async throws -> Report {
        var report = Report()
        try await refreshCreated(&report)
        // Half-done chunks were admitted before; finish them first.
        for q in try store.queuedChunks(states: [.uploading, .uploaded, .creating]) {
            try await advance(q, &report)
        }
        let held = try store.queuedChunks(states: [.held]).filter { $0.submission.lane == .batch }
        if !held.isEmpty {
            let jobs = try store.jobSummaries(JobFilter(activeOnly: true))
            let enqueued = EnqueuedTokens.compute(jobs: jobs, estimates: try store.chunkTokenEstimates(), limits: limits)
            let decision = AdmissionController(limits: limits).decide(held: held.map(\.held), enqueued: enqueued)
            let byID = Dictionary(uniqueKeysWithValues: held.map { ($0.record.id, $0) })
            for entry in decision.entries {
                guard let q = byID[entry.chunk.id] else { continue }
                switch entry.verdict {
                case .admit: try await advance(q, &report)
                case .hold(let reason): report.held[q.record.id] = reason
                case .reject(let reason):
                    var r = q.record
                    r.state = .failed; r.lastError = reason
                    try store.updateChunk(r, at: clock.unixNow())
                    report.failed[r.id] = reason
                }
            }
        }
        try settleSubmissions()
        report.depth = try sample()
        return report
    }

    /// The queue depth per lane now (also what `batchtop queue` shows).
    public func depth() throws -> [QueueDepth] {
        // Light rows, why: every cycle samples the depth, and decoding whole jobs cost most of it.
        let jobs = try store.jobSummaries(JobFilter(activeOnly: true))
        let held = try store.queuedChunks(states: [.held]).map(\.held)
        let estimates = try store.chunkTokenEstimates()
        return Lane.allCases.map { QueueDepth.compute(lane: $0, jobs: jobs, held: held, estimates: estimates, limits: limits) }
    }

    private func sample() throws -> [QueueDepth] {
        let depths = try depth()
        let now = clock.unixNow()
        for d in depths { try store.appendQueueSample(QueueSample(at: now, depth: d)) }
        return depths
    }

    /// Fetches this queue's non-terminal batches and re-queues those that failed on the token limit.
    private func refreshCreated(_ report: inout Report) async throws {
        let created = try store.queuedChunks(states: [.created])
        guard !created.isEmpty else { return }
        var fetched: [Batch] = []
        var current: [String: Batch] = [:]
        for q in created {
            guard let id = q.record.batchID else { continue }
            if let stored = try store.jobDetail(id: id)?.job.batch, stored.status.isTerminal {
                current[id] = stored
                continue
            }
            do {
                let batch = try await api.retrieveBatch(id: id)
                fetched.append(batch); current[id] = batch
            } catch let error as APIError {
                report.errors[q.record.id] = error.description
            }
        }
        for batch in fetched { try store.recordObservedBatch(batch, observedAt: clock.unixNow()) }
        for q in created {
            guard let id = q.record.batchID, let batch = current[id] else { continue }
            let job = Job(batch: batch, firstSeenAt: 0, lastPolledAt: 0)
            switch requeue.decide(job, requeuedCount: q.record.requeueCount) {
            case .notApplicable: continue
            case .requeue(let reason):
                var r = q.record
                r.state = .held
                r.batchID = nil; r.requeueCount += 1; r.lastError = reason
                let now = clock.unixNow()
                try store.appendAudit(AuditDraft(
                    at: now, actor: actor, action: Self.requeueAuditAction, targets: [id, r.id],
                    parameters: ["submission": r.submissionID, "chunk": String(r.chunk.index), "requeue_count": String(r.requeueCount)],
                    outcome: reason))
                try store.updateChunk(r, at: now)
                report.requeued.append(r.id)
            case .giveUp(let reason):
                var r = q.record
                r.state = .failed; r.lastError = reason
                try store.updateChunk(r, at: clock.unixNow())
                report.failed[r.id] = reason
            }
        }
    }

    /// Moves one admitted chunk as far as it goes: upload, create, record.
    private func advance(_ q: BatchStore.QueuedChunk, _ report: inout Report) async throws {
        var r = q.record
        let s = q.submission
        if r.state == .creating {
            // Rule: a `creating` chunk leaves that state only through reconciliation, why: its create may
            // have made a batch whose answer was lost; a failed look (listing or GET) settles nothing, so
            // the chunk stays `creating` and the next step looks again, however long the provider fails.
            do {
                if let batch = try await reconcile(r) {
                    try markCreated(&r, batch, &report)
                    return
                }
            } catch let error as APIError {
                try keepCreating(&r, because: error.description, &report)
                return
            } catch let error as BatchCreateError {
                try keepCreating(&r, because: error.description, &report)
                return
            }
            // The listing proved that no batch carries the chunk's tag: create it (again).
            r.state = .uploaded
        }
        do {
            if r.state == .held || r.state == .uploading || r.fileID == nil {
                if r.fileID == nil {
                    r.state = .uploading; r.lastError = nil
                    try store.updateChunk(r, at: clock.unixNow())
                    let summary = try summaries.summary(for: s)
                    try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
                    let file = workDirectory.appendingPathComponent("\(s.id)-\(r.chunk.index).jsonl")
                    try ChunkWriter().write(r.chunk, of: summary, to: file.path)
                    defer { try? FileManager.default.removeItem(at: file) }
                    r.fileID = try await api.uploadFile(at: file, purpose: "batch").id
                }
                r.state = .uploaded
                try store.updateChunk(r, at: clock.unixNow())
            }
            r.state = .creating
            try store.updateChunk(r, at: clock.unixNow())
            var metadata = [MetadataKey.workload: s.workload, MetadataKey.lane: Lane.batch.rawValue,
                            "batchtop_submission": s.id, "batchtop_chunk": String(r.chunk.index)]
            if let deadline = s.deadline { metadata[MetadataKey.deadline] = String(deadline) }
            let creator = BatchCreator(api: api, recorder: StoreIntentRecorder(store: store, kind: Self.intentKind, parentJobID: nil, clock: clock), clock: clock)
            let outcome = try await creator.create(
                jobID: r.jobKey,
                request: CreateBatchRequest(inputFileID: r.fileID ?? "", endpoint: s.endpoint, metadata: metadata))
            try markCreated(&r, outcome.batch, &report)
        } catch let error as APIError {
            // Certainly not created: `BatchCreator.create` throws an `APIError` only when the provider
            // proved it made nothing (or a listing proved no batch carries the tag); anything ambiguous
            // is a `BatchCreateError` below. Retry next step, unless a person must fix the request.
            let transient: Bool
            switch error.kind {
            case .rateLimited, .server, .connectionFailed, .connectionLost, .timeout, .conflict: transient = true
            default: transient = false
            }
            if r.state == .creating { r.state = .uploaded }
            if r.state == .uploading { r.state = .held }
            r.lastError = error.description
            if !transient { r.state = .failed; report.failed[r.id] = error.description } else { report.errors[r.id] = error.description }
            try store.updateChunk(r, at: clock.unixNow())
        } catch let error as BatchCreateError {
            // Unknown whether it exists: stay `creating`; the next step reconciles by the tag.
            r.lastError = error.description
            try store.updateChunk(r, at: clock.unixNow())
            report.errors[r.id] = error.description
        } catch let error as InputFileError {
            r.state = .failed; r.lastError = error.description
            try store.updateChunk(r, at: clock.unixNow())
            report.failed[r.id] = error.description
        }
    }

    /// Records why a `creating` chunk could not be reconciled this step; its state stays `creating`.
    private func keepCreating(_ r: inout ChunkRecord, because reason: String, _ report: inout Report) throws {
        r.lastError = "not settled yet (the chunk's batch may exist; batchtop checks again next step): " + reason
        try store.updateChunk(r, at: clock.unixNow())
        report.errors[r.id] = r.lastError
    }

    private func markCreated(_ r: inout ChunkRecord, _ batch: Batch, _ report: inout Report) throws {
        try store.recordObservedBatch(batch, observedAt: clock.unixNow())
        r.state = .created; r.batchID = batch.id; r.lastError = nil
        try store.updateChunk(r, at: clock.unixNow())
        report.created.append(r.id)
    }

    /// The batch a resumed `creating` chunk already made, or nil when the listing proves there is none.
    private func reconcile(_ r: ChunkRecord) async throws -> Batch? {
        let intent = try store.intent(localID: r.jobKey)
        if let intent, intent.state == "created", let id = intent.batchID {
            return try await api.retrieveBatch(id: id)
        }
        let creator = BatchCreator(api: api, recorder: StoreIntentRecorder(store: store, kind: Self.intentKind, parentJobID: nil, clock: clock), clock: clock)
        let since = (intent?.createdAt ?? r.heldSince) - creator.clockSkewSeconds
        switch try await creator.findTagged(jobID: r.jobKey, since: since) {
        case .found(let batch, _): return batch
        case .absent: return nil
        case .notFoundWithinBound:
            throw BatchCreateError(jobID: r.jobKey, cause: nil, reconcileError: nil)
        }
    }

    /// Marks submissions whose every chunk is finished: done, or failed when a chunk failed.
    private func settleSubmissions() throws {
        for s in try store.submissions(state: .active) where s.lane == .batch {
            let chunks = try store.chunks(submissionID: s.id)
            var finished = true
            for c in chunks where c.state != .failed {
                guard c.state == .created, let id = c.batchID, let job = try store.jobDetail(id: id)?.job,
                      job.batch.status.isTerminal else { finished = false; break }
            }
            if finished {
                try store.setSubmissionState(id: s.id, chunks.contains { $0.state == .failed } ? .failed : .done, at: clock.unixNow())
            }
        }
    }
}

/// Validated summaries of submissions' source files, checked against the stored size and mtime.
final class SummaryCache: Sendable {
    private let cache = Mutex<[String: InputFileSummary]>([:])

    func summary(for s: SubmissionRecord) throws(InputFileError) -> InputFileSummary {
        if let hit = cache.withLock({ $0[s.id] }) { return hit }
        let summary = try InputFileValidator().validate(path: s.sourcePath)
        guard summary.bytes == s.sourceBytes, summary.modifiedAtNanos == s.sourceModifiedAtNanos, summary.isValid else {
            throw InputFileError(.changed, path: s.sourcePath, code: 0)
        }
        cache.withLock { $0[s.id] = summary }
        return summary
    }
}
