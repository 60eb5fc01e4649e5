/// Where a request runs: the synchronous real-time API or the discounted Batch API.
///
/// Designed so a third lane (`flex`) can be added without changing stored rows: lanes are stored
/// by their raw string.
public enum Lane: String, CaseIterable, Codable, Sendable, Hashable, CustomStringConvertible {
    case realtime
    case batch

    public var description: String { rawValue }
}

/// How soon a workload's results are needed; routing rules map a class to a lane.
public enum UrgencyClass: String, CaseIterable, Codable, Sendable, Hashable, CustomStringConvertible {
    case interactive, urgent, scheduled, backfill, evaluation, bulk

    /// The house rule: if a person is waiting, real-time; if a pipeline or analyst can wait, batch.
    public var defaultLane: Lane {
        switch self {
        case .interactive, .urgent: return .realtime
        case .scheduled, .backfill, .evaluation, .bulk: return .batch
        }
    }

    public var description: String { rawValue }
}
