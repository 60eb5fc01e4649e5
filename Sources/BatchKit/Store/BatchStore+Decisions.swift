import Foundation
import GRDB

/// Routing decisions: raise, list, and move a pending one to approved, rejected or expired, each with
/// its audit row in the same transaction.
extension BatchStore {
    static let decisionColumns = """
        id, subject_kind, subject, to_lane, to_class, reason, source, requested_by, requested_at, state, decided_by,
        decided_at, comment, daily_cost_micros, dedupe_key, details_json
        """

    /// Inserts a pending decision and its audit row; when `dedupe_key` matches a pending decision,
    /// returns that one instead (nothing written).
    public func raiseDecision(_ d: RoutingDecision, audit: AuditDraft) throws -> (decision: RoutingDecision, created: Bool) {
        try write("raising a routing decision") { db in
            if let key = d.dedupeKey, let existing = try Row.fetchOne(
                db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE dedupe_key = ? AND state = 'pending'", arguments: [key]) {
                return (try Self.decision(from: existing), false)
            }
            try db.execute(sql: """
                INSERT INTO decisions (\(Self.decisionColumns)) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, arguments: [
                    d.id, d.subject.kind, d.subject.name, d.toLane?.rawValue, d.toClass?.rawValue, d.reason, d.source.rawValue,
                    d.requestedBy, d.requestedAt, d.state.rawValue, d.decidedBy, d.decidedAt, d.comment, d.dailyCostImpact?.value,
                    d.dedupeKey, AuditRecord.parametersJSON(d.details),
                ])
            _ = try appendAudit(db, audit)
            return (d, true)
        }
    }

    /// Decisions in `states` (all when empty), newest first.
    public func decisions(states: Set<RoutingDecision.State> = []) throws -> [RoutingDecision] {
        let whereSQL = states.isEmpty ? "" : " WHERE state IN (" + states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",") + ")"
        return try read("listing decisions") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.decisionColumns) FROM decisions\(whereSQL) ORDER BY requested_at DESC, id DESC")
                .map(Self.decision(from:))
        }
    }

    /// One decision by id.
    public func decision(id: String) throws -> RoutingDecision? {
        try read("reading decision \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE id = ?", arguments: [id]).map(Self.decision(from:))
        }
    }

    /// Moves a pending decision to `state` and appends `audit`, atomically.
    ///
    /// Returns nil, writing nothing, when the decision is no longer pending (someone else settled it first).
    public func settleDecision(id: String, to state: RoutingDecision.State, by actor: String, at: Int64, comment: String?,
                               audit: AuditDraft) throws -> RoutingDecision? {
        try write("settling decision \(id)") { db in
            try db.execute(sql: """
                UPDATE decisions SET state = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ? AND state = 'pending'
                """, arguments: [state.rawValue, actor, at, comment, id])
            guard db.changesCount == 1 else { return nil }
            _ = try appendAudit(db, audit)
            return try Row.fetchOne(db, sql: "SELECT \(Self.decisionColumns) FROM decisions WHERE id = ?", arguments: [id]).map(Self.decision(from:))
        }
    }

    /// Approved workload decisions as router overrides, oldest approval first (the router uses the newest per workload).
    public func workloadOverrides() throws -> [WorkloadOverride] {
        try read("reading approved decisions") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.decisionColumns) FROM decisions WHERE state = 'approved' AND subject_kind = 'workload'
                ORDER BY decided_at, id
                """).compactMap { try Self.decision(from: $0).workloadOverride }
        }
    }

    /// Whether any job carries `workload`.
    public func workloadExists(_ workload: String) throws -> Bool {
        try read("looking up workload") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE workload = ?)", arguments: [workload]) ?? false
        }
    }

    static func decision(from row: Row) throws -> RoutingDecision {
        let kind: String = row[1]
        let name: String = row[2]
        let details = FlatJSONObject.parse(row[15] as String) ?? [:]
        return RoutingDecision(
            id: row[0], subject: kind == "workload" ? .workload(name) : .job(name),
            toLane: (row[3] as String?).flatMap(Lane.init(rawValue:)), toClass: (row[4] as String?).flatMap(UrgencyClass.init(rawValue:)),
            reason: row[5], source: RoutingDecision.Source(rawValue: row[6]) ?? .operator, requestedBy: row[7], requestedAt: row[8],
            state: RoutingDecision.State(rawValue: row[9]) ?? .pending, decidedBy: row[10], decidedAt: row[11], comment: row[12],
            dailyCostImpact: (row[13] as Int64?).map(MicroDollars.init), dedupeKey: row[14], details: details)
    }
}
