import GRDB

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

    /// The WHERE clause (with a leading space, or empty) and its arguments, in placeholder order.
    func sqlWhere() -> (String, StatementArguments) {
        var clauses: [String] = []
        var args = StatementArguments()
        if let statuses, !statuses.isEmpty {
            clauses.append("status IN (" + Array(repeating: "?", count: statuses.count).joined(separator: ",") + ")")
            args += StatementArguments(statuses.map(\.rawValue))
        }
        if let workload { clauses.append("workload = ?"); args += [workload] }
        if let lane { clauses.append("lane = ?"); args += [lane.rawValue] }
        if let createdSince { clauses.append("created_at >= ?"); args += [createdSince] }
        if activeOnly { clauses.append("is_terminal = 0") }
        return (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "), args)
    }
}
