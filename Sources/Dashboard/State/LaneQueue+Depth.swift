import BatchKit

extension LaneQueue {
    /// The Queue pane's row for a lane from BatchKit's `QueueDepth` and its stored samples (oldest first).
    ///
    /// The sparkline shows jobs in flight plus chunks held, why: both are work the lane has not finished,
    /// and admission moves work from one to the other without the total changing.
    public init(depth: QueueDepth, samples: [QueueSample]) {
        self.init(
            lane: depth.lane, held: depth.heldChunks,
            byStatus: depth.jobsByStatus.sorted { $0.key < $1.key }.map { StatusCount(BatchStatus($0.key), $0.value) },
            pendingRequests: depth.pendingRequests,
            tokens: depth.models.map { ModelTokens(model: $0.model, enqueued: $0.enqueued.value, limit: $0.limit) },
            depthHistory: samples.filter { $0.lane == depth.lane }.map { $0.inFlightJobs + $0.heldChunks })
    }
}
