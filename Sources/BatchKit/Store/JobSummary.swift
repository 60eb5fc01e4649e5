/// The few columns a job table row shows, read without decoding the whole job.
public struct JobSummary: Sendable, Hashable {
    public var id: String
    public var status: BatchStatus
    public var workload: String?
    public var lane: String
    public var model: String?
    public var endpoint: String
    public var requestCounts: RequestCounts
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var cancelRequestedAt: Int64?

    public init(
        id: String, status: BatchStatus, workload: String?, lane: String, model: String?, endpoint: String,
        requestCounts: RequestCounts, createdAt: Int64, expiresAt: Int64?, cancelRequestedAt: Int64? = nil
    ) {
        self.id = id; self.status = status; self.workload = workload; self.lane = lane; self.model = model
        self.endpoint = endpoint; self.requestCounts = requestCounts; self.createdAt = createdAt
        self.expiresAt = expiresAt; self.cancelRequestedAt = cancelRequestedAt
    }
}
