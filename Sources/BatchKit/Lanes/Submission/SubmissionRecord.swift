/// A file of requests submitted once, as stored: what, where it goes, and how far it got.
public struct SubmissionRecord: Codable, Sendable, Hashable, Identifiable {
    /// Overall state of a submission.
    public enum State: String, Codable, Sendable, Hashable {
        /// Chunks still held, in flight, or requests still to run.
        case active
        /// Every chunk created (batch lane) or every request answered (real-time lane).
        case done
        /// Stopped for a reason a person must fix (see the chunks' errors).
        case failed
    }

    /// `sub_` plus 16 hex digits.
    public var id: String
    public var workload: String
    public var lane: Lane
    public var endpoint: String
    public var model: String
    /// The source file as validated: path, size and modification time (unix nanoseconds).
    public var sourcePath: String
    public var sourceBytes: Int64
    public var sourceModifiedAtNanos: Int64
    /// When results are needed (unix seconds), if given.
    public var deadline: Int64?
    /// Why the lane was chosen (`Route.explanation` or "explicit --lane").
    public var routeReason: String
    public var state: State
    /// Real-time lane: the results JSONL.
    public var resultsPath: String?
    public var createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, workload: String, lane: Lane, endpoint: String, model: String, sourcePath: String,
                sourceBytes: Int64, sourceModifiedAtNanos: Int64, deadline: Int64?, routeReason: String,
                state: State = .active, resultsPath: String? = nil, createdAt: Int64, updatedAt: Int64? = nil) {
        self.id = id; self.workload = workload; self.lane = lane; self.endpoint = endpoint; self.model = model
        self.sourcePath = sourcePath; self.sourceBytes = sourceBytes; self.sourceModifiedAtNanos = sourceModifiedAtNanos
        self.deadline = deadline; self.routeReason = routeReason; self.state = state; self.resultsPath = resultsPath
        self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }
}

/// One chunk of a submission as stored, with its progress toward a batch.
public struct ChunkRecord: Codable, Sendable, Hashable, Identifiable {
    public var submissionID: String
    public var chunk: Chunk
    public var state: ChunkState
    /// The uploaded input file, once uploaded.
    public var fileID: String?
    /// The provider batch, once created.
    public var batchID: String?
    /// Automatic re-queues after `token_limit_exceeded` so far.
    public var requeueCount: Int
    /// When it (last) entered the local queue; FIFO key.
    public var heldSince: Int64
    public var lastError: String?

    public init(submissionID: String, chunk: Chunk, state: ChunkState = .held, fileID: String? = nil,
                batchID: String? = nil, requeueCount: Int = 0, heldSince: Int64, lastError: String? = nil) {
        self.submissionID = submissionID; self.chunk = chunk; self.state = state; self.fileID = fileID
        self.batchID = batchID; self.requeueCount = requeueCount; self.heldSince = heldSince; self.lastError = lastError
    }

    /// `submission#chunk`, the same key `HeldChunk.id` uses.
    public var id: String { "\(submissionID)#\(chunk.index)" }

    /// The `metadata[batchtop_job_id]` of this chunk's current create: a re-queued chunk gets a new one,
    /// why: reconciliation must not match the batch that failed.
    public var jobKey: String { requeueCount == 0 ? id : "\(id)r\(requeueCount)" }
}
