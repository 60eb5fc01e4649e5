import Foundation
import GRDB

/// The audit trail: append (hash-chained), read, verify.
extension BatchStore {
    /// Appends one audit row in its own transaction and returns it with id and hash.
    @discardableResult
    public func appendAudit(_ draft: AuditDraft) throws -> AuditRecord {
        try write("appending to the audit") { db in try Self.appendAudit(db, draft) }
    }

    /// Appends inside an open write, so an action and its audit row commit together.
    ///
    /// Rule: the previous hash is read inside the same IMMEDIATE transaction, why: two processes
    /// appending at once must not both link to the same predecessor.
    static func appendAudit(_ db: Database, _ d: AuditDraft) throws -> AuditRecord {
        let prev = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
        let prevHash: String? = prev?[1]
        // AUTOINCREMENT never reuses ids, so the next id is above both the last row and the sequence.
        let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        let id = max(seq, (prev?[0] as Int64?) ?? 0) + 1
        let targetsJSON = AuditRecord.targetsJSON(d.targets)
        let parametersJSON = AuditRecord.parametersJSON(d.parameters)
        let hash = AuditRecord.hash(canonical: AuditRecord.canonical(
            id: id, at: d.at, actor: d.actor, action: d.action, targetsJSON: targetsJSON, parametersJSON: parametersJSON,
            outcome: d.outcome, providerRequestID: d.providerRequestID, prevHash: prevHash))
        try db.execute(sql: """
            INSERT INTO audit (id, at, actor, action, targets, parameters_json, outcome, provider_request_id, prev_hash, hash)
            VALUES (?,?,?,?,?,?,?,?,?,?)
            """, arguments: [id, d.at, d.actor, d.action, targetsJSON, parametersJSON, d.outcome, d.providerRequestID, prevHash, hash])
        return AuditRecord(id: id, at: d.at, actor: d.actor, action: d.action, targets: d.targets, parameters: d.parameters,
                           outcome: d.outcome, providerRequestID: d.providerRequestID, prevHash: prevHash, hash: hash)
    }

    /// Audit rows at or after `since` (all when nil), oldest first; `target` keeps rows naming it.
    public func auditRecords(since: Int64? = nil, target: String? = nil, limit: Int? = nil) throws -> [AuditRecord] {
        try storedAuditRows(since: since, target: target, limit: limit).map { row in
            AuditRecord(
                id: row.id, at: row.at, actor: row.actor, action: row.action,
                targets: (try? JSONDecoder().decode([String].self, from: Data(row.targetsJSON.utf8))) ?? [],
                parameters: (try? JSONDecoder().decode([String: String].self, from: Data(row.parametersJSON.utf8))) ?? [:],
                outcome: row.outcome, providerRequestID: row.providerRequestID, prevHash: row.prevHash, hash: row.hash)
        }
    }

    /// Recomputes every row's hash and link.
    public func verifyAudit() throws -> AuditVerification {
        AuditVerification.check(try storedAuditRows(since: nil, target: nil, limit: nil))
    }

    func storedAuditRows(since: Int64?, target: String?, limit: Int?) throws -> [StoredAuditRow] {
        var clauses: [String] = []
        var args: [any DatabaseValueConvertible] = []
        if let since { clauses.append("at >= ?"); args.append(since) }
        if let target { clauses.append("EXISTS (SELECT 1 FROM json_each(audit.targets) WHERE value = ?)"); args.append(target) }
        let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let limitSQL = limit.map { " LIMIT \(max(0, $0))" } ?? ""
        return try read("reading the audit") { db in
            try Row.fetchAll(db, sql: """
                SELECT id, at, actor, action, targets, parameters_json, outcome, provider_request_id, prev_hash, hash
                FROM audit\(whereSQL) ORDER BY id\(limitSQL)
                """, arguments: StatementArguments(args)).map {
                StoredAuditRow(id: $0[0], at: $0[1], actor: $0[2], action: $0[3], targetsJSON: $0[4], parametersJSON: $0[5],
                               outcome: $0[6], providerRequestID: $0[7], prevHash: $0[8], hash: $0[9])
            }
        }
    }
}
