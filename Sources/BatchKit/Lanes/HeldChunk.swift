/// A chunk waiting in batchtop's local queue for enqueued-token capacity.
public struct HeldChunk: Codable, Sendable, Hashable, Identifiable {
    /// The submission the chunk belongs to.
    public var submissionID: String
    public var chunk: Chunk
    /// The model of every request in the chunk (one model per file).
    public var model: String
    /// The lane it waits for; the local queue is a batch-lane concept today.
    public var lane: Lane
    /// When it entered the local queue (unix seconds); FIFO order is the order of the array given in.
    public var heldSince: Int64

    public init(submissionID: String, chunk: Chunk, model: String, lane: Lane = .batch, heldSince: Int64) {
        self.submissionID = submissionID; self.chunk = chunk; self.model = model; self.lane = lane
        self.heldSince = heldSince
    }

    /// `submission#chunk`, unique across submissions.
    public var id: String { "\(submissionID)#\(chunk.index)" }

    /// The chunk's estimated input tokens.
    public var tokens: Int64 { chunk.estimatedTokens.value }
}

/// What batchtop estimated for a job it created: the figures a provider batch does not report while running.
public struct JobTokenEstimate: Codable, Sendable, Hashable {
    /// The model the job's requests use.
    public var model: String
    /// Estimated (or counted) input tokens of all its requests.
    public var tokens: TokenCount
    /// Requests in the job; stands in for `request_counts.total`, which is 0 while validating.
    public var requests: Int

    public init(model: String, tokens: TokenCount, requests: Int) {
        self.model = model; self.tokens = tokens; self.requests = requests
    }
}
