/// One provider batch plus what batchtop knows about it: workload, lane, lineage, poll times.
public struct Job: Codable, Sendable, Hashable, Identifiable {
    /// The provider's batch as last seen.
    public var batch: Batch
    /// The workload from `metadata.workload`, if any.
    public var workload: String?
    /// The lane the job runs in; a provider batch is always `batch`, local real-time runs are `realtime`.
    public var lane: Lane
    /// The job this one was resubmitted from (`metadata.batchtop_parent`).
    public var parentJobID: String?
    /// batchtop's own id for the job (`metadata.batchtop_job_id`), the key that reconciles creates.
    public var localID: String?
    /// When batchtop first saw the job (unix seconds).
    public var firstSeenAt: Int64
    /// When batchtop last polled the job (unix seconds).
    public var lastPolledAt: Int64
    /// When an operator asked to cancel it; shown as "cancel requested" until the provider agrees.
    public var cancelRequestedAt: Int64?
    /// When the provider began answering 404 for it, once that lasted long enough to count as missing
    /// (`MissingPolicy`); nil while the provider knows it. A missing job is still re-checked slowly.
    public var missingSince: Int64?

    public var id: String { batch.id }

    public init(
        batch: Batch, workload: String? = nil, lane: Lane = .batch, parentJobID: String? = nil,
        localID: String? = nil, firstSeenAt: Int64, lastPolledAt: Int64, cancelRequestedAt: Int64? = nil,
        missingSince: Int64? = nil
    ) {
        self.batch = batch
        self.workload = workload ?? batch.metadata[MetadataKey.workload]
        self.lane = lane
        self.parentJobID = parentJobID ?? batch.metadata[MetadataKey.parent]
        self.localID = localID ?? batch.metadata[MetadataKey.jobID]
        self.firstSeenAt = firstSeenAt
        self.lastPolledAt = lastPolledAt
        self.cancelRequestedAt = cancelRequestedAt
        self.missingSince = missingSince
    }
}

/// The `metadata` keys batchtop writes on the batches it creates.
public enum MetadataKey {
    /// The workload name.
    public static let workload = "workload"
    /// batchtop's own job id; used to reconcile an ambiguous create.
    public static let jobID = "batchtop_job_id"
    /// The provider id of the job this one resubmits.
    public static let parent = "batchtop_parent"
    /// The lane batchtop routed the work to.
    public static let lane = "batchtop_lane"
    /// A deadline (ISO 8601 or unix seconds) by which results are needed.
    public static let deadline = "deadline"
}
