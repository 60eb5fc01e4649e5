/// Which jobs a listing wants; nil fields do not filter.
public struct JobFilter: Sendable, Hashable {
    /// Only jobs in one of these statuses (raw strings, so unknown statuses can be asked for).
    public var statuses: [BatchStatus]?
    /// Only jobs of this workload.
    public var workload: String?
    /// Only jobs in this lane.
    public var lane: Lane?
    /// Only jobs created at or after this unix time.
    public var createdSince: Int64?
    /// Only jobs not yet terminal.
    public var activeOnly: Bool
    /// At most this many jobs, newest first.
    public var limit: Int?

    public init(
        statuses: [BatchStatus]? = nil, workload: String? = nil, lane: Lane? = nil,
        createdSince: Int64? = nil, activeOnly: Bool = false, limit: Int? = nil
    ) {
        self.statuses = statuses; self.workload = workload; self.lane = lane
        self.createdSince = createdSince; self.activeOnly = activeOnly; self.limit = limit
    }

    /// The WHERE clause (with a leading space, or empty) and its arguments.
    func sqlWhere() -> (String, [String], [Int64]) {
        var clauses: [String] = []
        var texts: [String] = []
        var ints: [Int64] = []
        if let statuses, !statuses.isEmpty {
            clauses.append("status IN (" + Array(repeating: "?", count: statuses.count).joined(separator: ",") + ")")
            texts.append(contentsOf: statuses.map(\.rawValue))
        }
        if let workload { clauses.append("workload = ?"); texts.append(workload) }
        if let lane { clauses.append("lane = ?"); texts.append(lane.rawValue) }
        if let createdSince { clauses.append("created_at >= ?"); ints.append(createdSince) }
        if activeOnly { clauses.append("is_terminal = 0") }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), texts, ints)
    }
}
