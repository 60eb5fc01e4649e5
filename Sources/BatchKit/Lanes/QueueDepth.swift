/// Work waiting in one lane: held locally, in flight at the provider, and enqueued tokens per model.
///
/// Computed from jobs and held chunks by a pure function, so `batchtop queue`, the dashboard and the
/// samples for its sparkline all show the same figures.
public struct QueueDepth: Codable, Sendable, Hashable {
    /// Enqueued tokens of one model pool against its limit.
    public struct ModelLoad: Codable, Sendable, Hashable {
        /// The pool name (see `AdmissionLimits.pool(for:)`).
        public var model: String
        /// Estimated input tokens of non-terminal jobs.
        public var enqueued: TokenCount
        /// Estimated input tokens of chunks held locally.
        public var held: TokenCount
        /// The enqueued-token limit, when known.
        public var limit: Int64?

        /// Enqueued tokens as a fraction of the limit (may pass 1 when others' batches or estimates
        /// run high); nil without a limit.
        public var utilization: Double? {
            guard let limit, limit > 0 else { return nil }
            return Double(enqueued.value) / Double(limit)
        }
    }

    public var lane: Lane
    /// Chunks in the local queue.
    public var heldChunks: Int
    /// Requests in those chunks.
    public var heldRequests: Int
    /// Non-terminal jobs by provider status (raw status string).
    public var jobsByStatus: [String: Int]
    /// Non-terminal jobs.
    public var inFlightJobs: Int
    /// Requests of non-terminal jobs not finished yet.
    public var pendingRequests: Int
    /// Per model pool, sorted by name.
    public var models: [ModelLoad]
    /// Non-terminal jobs whose tokens are unknown (not created by batchtop): not in `models`.
    public var unestimatedJobs: Int

    /// The depth of `lane`.
    ///
    /// A `validating` job reports `request_counts.total == 0`, so its pending requests come from
    /// batchtop's estimate when there is one.
    public static func compute<J: QueuedJob>(
        lane: Lane, jobs: [J], held: [HeldChunk], estimates: [String: JobTokenEstimate],
        limits: AdmissionLimits, fallbackTokensPerRequest: Int64 = 0
    ) -> QueueDepth {
        let laneJobs = jobs.filter { $0.queueLane == lane && !$0.queueStatus.isTerminal }
        let laneHeld = held.filter { $0.lane == lane }
        var byStatus: [String: Int] = [:]
        var pending = 0
        for job in laneJobs {
            byStatus[job.queueStatus.rawValue, default: 0] += 1
            let counts = job.queueCounts
            pending += counts.total > 0 ? counts.pending : (estimates[job.id]?.requests ?? 0)
        }
        var heldTokens: [String: TokenCount] = [:]
        for chunk in laneHeld { heldTokens[limits.pool(for: chunk.model), default: .zero] += chunk.chunk.estimatedTokens }
        // Enqueued tokens are a batch-lane quantity; the real-time lane has none.
        let enqueued = lane == .batch
            ? EnqueuedTokens.compute(jobs: laneJobs, estimates: estimates, limits: limits, fallbackTokensPerRequest: fallbackTokensPerRequest)
            : EnqueuedTokens()
        let pools = Set(enqueued.byPool.keys).union(heldTokens.keys)
        let models = pools.sorted().map { pool in
            ModelLoad(model: pool, enqueued: enqueued.byPool[pool] ?? .zero, held: heldTokens[pool] ?? .zero,
                      limit: limits.perModel[pool])
        }
        return QueueDepth(
            lane: lane, heldChunks: laneHeld.count, heldRequests: laneHeld.reduce(0) { $0 + $1.chunk.requestCount },
            jobsByStatus: byStatus, inFlightJobs: laneJobs.count, pendingRequests: pending, models: models,
            unestimatedJobs: enqueued.unestimatedJobIDs.count)
    }
}
