/// One point of a lane's queue depth over time, kept for the dashboard's sparklines.
public struct QueueSample: Codable, Sendable, Hashable {
    /// When it was taken (unix seconds).
    public var at: Int64
    public var lane: Lane
    public var heldChunks: Int
    public var heldRequests: Int
    public var inFlightJobs: Int
    public var pendingRequests: Int
    /// Enqueued tokens summed over models.
    public var enqueuedTokens: Int64
    /// Highest enqueued/limit ratio over models with a limit, in per mille (integer so samples compare exactly).
    public var peakUtilizationPerMille: Int?

    public init(at: Int64, lane: Lane, heldChunks: Int, heldRequests: Int, inFlightJobs: Int,
                pendingRequests: Int, enqueuedTokens: Int64, peakUtilizationPerMille: Int?) {
        self.at = at; self.lane = lane; self.heldChunks = heldChunks; self.heldRequests = heldRequests
        self.inFlightJobs = inFlightJobs; self.pendingRequests = pendingRequests
        self.enqueuedTokens = enqueuedTokens; self.peakUtilizationPerMille = peakUtilizationPerMille
    }

    /// The sample of `depth` taken at `at`.
    public init(at: Int64, depth: QueueDepth) {
        let peak = depth.models.compactMap { load -> Int? in
            guard let limit = load.limit, limit > 0 else { return nil }
            return Int(load.enqueued.value * 1000 / limit)
        }.max()
        self.init(at: at, lane: depth.lane, heldChunks: depth.heldChunks, heldRequests: depth.heldRequests,
                  inFlightJobs: depth.inFlightJobs, pendingRequests: depth.pendingRequests,
                  enqueuedTokens: depth.models.reduce(0) { $0 + $1.enqueued.value }, peakUtilizationPerMille: peak)
    }
}
