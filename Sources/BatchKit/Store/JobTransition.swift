/// One status change of a job, as observed by the sync worker.
public struct JobTransition: Sendable, Hashable, Codable {
    /// The status before; nil for the first sighting.
    public var from: BatchStatus?
    /// The status after.
    public var to: BatchStatus
    /// When it happened: the provider's timestamp for `to` when it has one, else `observedAt`.
    public var at: Int64
    /// Whether `at` came from the provider (true) or is when batchtop noticed (false).
    public var atIsProviderTime: Bool
    /// When batchtop observed the change.
    public var observedAt: Int64

    public init(from: BatchStatus?, to: BatchStatus, at: Int64, atIsProviderTime: Bool, observedAt: Int64) {
        self.from = from; self.to = to; self.at = at
        self.atIsProviderTime = atIsProviderTime; self.observedAt = observedAt
    }
}

extension Batch {
    /// The provider's timestamp for entering `status`, if the batch carries one.
    public func providerTime(of status: BatchStatus) -> Int64? {
        switch status {
        case .validating: return createdAt > 0 ? createdAt : nil
        case .inProgress: return inProgressAt
        case .finalizing: return finalizingAt
        case .completed: return completedAt
        case .failed: return failedAt
        case .expired: return expiredAt
        case .cancelling: return cancellingAt
        case .cancelled: return cancelledAt
        default: return nil
        }
    }
}
