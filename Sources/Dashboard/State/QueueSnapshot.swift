import BatchKit

/// Work waiting per lane, as the Queue pane shows it.
public struct QueueSnapshot: Hashable, Sendable {
    /// One entry per lane, in display order.
    public var lanes: [LaneQueue]

    public init(lanes: [LaneQueue] = []) { self.lanes = lanes }
}

/// One lane's queue: held jobs, jobs by provider status, pending requests, token gauges, history.
public struct LaneQueue: Hashable, Sendable {
    /// The lane.
    public var lane: Lane
    /// Jobs held locally, waiting for admission.
    public var held: Int
    /// Jobs at the provider by status (only non-zero entries need be given).
    public var byStatus: [StatusCount]
    /// Requests submitted but not finished.
    public var pendingRequests: Int
    /// Enqueued input tokens per model against the provider's limit.
    public var tokens: [ModelTokens]
    /// Queue depth (jobs in flight) sampled over the last hours, oldest first.
    public var depthHistory: [Int]

    public init(lane: Lane, held: Int = 0, byStatus: [StatusCount] = [], pendingRequests: Int = 0, tokens: [ModelTokens] = [], depthHistory: [Int] = []) {
        self.lane = lane; self.held = held; self.byStatus = byStatus; self.pendingRequests = pendingRequests
        self.tokens = tokens; self.depthHistory = depthHistory
    }
}

/// A count of jobs in one status.
public struct StatusCount: Hashable, Sendable {
    /// The provider status.
    public var status: BatchStatus
    /// Jobs in it.
    public var count: Int

    public init(_ status: BatchStatus, _ count: Int) { self.status = status; self.count = count }
}

/// Enqueued input tokens for one model against its limit.
public struct ModelTokens: Hashable, Sendable {
    /// The model name.
    public var model: String
    /// Input tokens enqueued at the provider.
    public var enqueued: Int64
    /// The provider's enqueued-token limit; nil when unknown.
    public var limit: Int64?

    public init(model: String, enqueued: Int64, limit: Int64?) {
        self.model = model; self.enqueued = enqueued; self.limit = limit
    }
}
