/// The columns a job list shows, read without decoding the whole job (no metadata, errors or raw JSON).
public struct JobSummary: Sendable, Hashable {
    public var id: String
    public var status: BatchStatus
    public var workload: String?
    public var lane: String
    public var model: String?
    public var endpoint: String
    public var requestCounts: RequestCounts
    public var createdAt: Int64
    public var inProgressAt: Int64?
    public var expiresAt: Int64?
    public var cancelRequestedAt: Int64?
    /// The job this one was resubmitted from.
    public var parentJobID: String?
    /// Token usage as last reported; nil until the provider reports any.
    public var usage: TokenUsage?
    /// The row's revision: raised by the database on every visible change (see `BatchStore.jobChanges`).
    public var revision: Int64
    /// Since when the job counts as missing (see `Job.missingSince`); nil while the provider knows it.
    public var missingSince: Int64?

    public init(
        id: String, status: BatchStatus, workload: String?, lane: String, model: String?, endpoint: String,
        requestCounts: RequestCounts, createdAt: Int64, inProgressAt: Int64? = nil, expiresAt: Int64?,
        cancelRequestedAt: Int64? = nil, parentJobID: String? = nil, usage: TokenUsage? = nil, revision: Int64 = 0,
        missingSince: Int64? = nil
    ) {
        self.id = id; self.status = status; self.workload = workload; self.lane = lane; self.model = model
        self.endpoint = endpoint; self.requestCounts = requestCounts; self.createdAt = createdAt
        self.inProgressAt = inProgressAt; self.expiresAt = expiresAt; self.cancelRequestedAt = cancelRequestedAt
        self.parentJobID = parentJobID; self.usage = usage; self.revision = revision; self.missingSince = missingSince
    }
}

/// Jobs whose rows changed after a revision, and the revision to ask from next time.
public struct JobChanges: Sendable, Hashable {
    /// Changed or new jobs, in revision order.
    public var jobs: [JobSummary]
    /// The highest revision in the database when read; pass it to the next `jobChanges(after:)`.
    public var revision: Int64

    public init(jobs: [JobSummary], revision: Int64) { self.jobs = jobs; self.revision = revision }
}
