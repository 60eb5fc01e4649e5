/// What queue depth and enqueued-token counts need to know about a job.
///
/// Both full jobs and list rows answer it, why: the dashboard reads the light rows of the jobs in
/// flight, while admission control already holds full jobs; the figures must be the same either way.
public protocol QueuedJob {
    var id: String { get }
    /// The lane the job runs in.
    var queueLane: Lane { get }
    /// The provider status as last polled.
    var queueStatus: BatchStatus { get }
    /// The model, when known.
    var queueModel: String? { get }
    /// The request counts as last polled.
    var queueCounts: RequestCounts { get }
}

extension Job: QueuedJob {
    public var queueLane: Lane { lane }
    public var queueStatus: BatchStatus { batch.status }
    public var queueModel: String? { batch.model }
    public var queueCounts: RequestCounts { batch.requestCounts }
}

extension JobSummary: QueuedJob {
    public var queueLane: Lane { Lane(rawValue: lane) ?? .batch }
    public var queueStatus: BatchStatus { status }
    public var queueModel: String? { model }
    public var queueCounts: RequestCounts { requestCounts }
}
