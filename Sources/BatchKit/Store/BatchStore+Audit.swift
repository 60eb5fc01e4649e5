import Foundation
import GRDB
import Logging

/// The audit trail: append (hash-chained, signed with the audit key, counted in `audit_head`), read,
/// verify, and keep its protection triggers in place.
extension BatchStore {
    /// Appends one audit row in its own transaction and returns it with id, hash and MAC.
    @discardableResult
    public func appendAudit(_ draft: AuditDraft) throws -> AuditRecord {
        try write("appending to the audit") { db in try appendAudit(db, draft) }
    }

    /// Appends inside an open write, so an action and its audit row commit together.
    ///
    /// Rule: the previous hash and the head record are read inside the same IMMEDIATE transaction,
    /// why: two processes appending at once must not both link to the same predecessor. Rule: the
    /// head's signature is renewed only when the head it extends verifies, why: re-signing a head
    /// rewritten outside batchtop would launder the rewrite; an unsigned head stays unsigned and
    /// `verify` keeps reporting it.
    func appendAudit(_ db: Database, _ d: AuditDraft) throws -> AuditRecord {
        let key = try auditKey?.loadOrCreate()
        let prev = try Row.fetchOne(db, sql: "SELECT id, hash, mac FROM audit ORDER BY id DESC LIMIT 1")
        let prevHash: String? = prev?[1]
        let prevSigned = (prev?[2] as String?) != nil
        let head = try Self.headRecord(db)
        if key == nil && (prevSigned || head?.mac != nil) {
            throw AuditKeyError(path: "(none given)", detail: "this database's audit chain is signed; open it with its audit key (BatchStore auditKey) so new rows are signed too")
        }
        // AUTOINCREMENT never reuses ids, so the next id is above both the last row and the sequence.
        let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        let id = max(seq, (prev?[0] as Int64?) ?? 0) + 1
        let targetsJSON = AuditRecord.targetsJSON(d.targets)
        let parametersJSON = AuditRecord.parametersJSON(d.parameters)
        let hash = AuditRecord.hash(canonical: AuditRecord.canonical(
            id: id, at: d.at, actor: d.actor, action: d.action, targetsJSON: targetsJSON, parametersJSON: parametersJSON,
            outcome: d.outcome, providerRequestID: d.providerRequestID, prevHash: prevHash))
        let mac = key?.rowMAC(hash: hash)
        try db.execute(sql: """
            INSERT INTO audit (id, at, actor, action, targets, parameters_json, outcome, provider_request_id, prev_hash, hash, mac)
            VALUES (?,?,?,?,?,?,?,?,?,?,?)
            """, arguments: [id, d.at, d.actor, d.action, targetsJSON, parametersJSON, d.outcome, d.providerRequestID, prevHash, hash, mac])
        if let head {
            let trusted: Bool
            if let key, let headMAC = head.mac {
                trusted = key.isValidHeadMAC(headMAC, rowCount: head.rowCount, lastID: head.lastID, headHash: head.headHash)
            } else {
                // Unsigned: trusted to be signed only while the chain itself was never signed (a legacy chain).
                trusted = !prevSigned
            }
            let count = head.rowCount + 1
            let headMAC = trusted ? key?.headMAC(rowCount: count, lastID: id, headHash: hash) : nil
            try db.execute(sql: "UPDATE audit_head SET row_count = ?, last_id = ?, head_hash = ?, mac = ? WHERE id = 1",
                           arguments: [count, id, hash, headMAC])
        }
        return AuditRecord(id: id, at: d.at, actor: d.actor, action: d.action, targets: d.targets, parameters: d.parameters,
                           outcome: d.outcome, providerRequestID: d.providerRequestID, prevHash: prevHash, hash: hash, mac: mac)
    }

    /// Audit rows at or after `since` (all when nil), oldest first; `target` keeps rows naming it.
    public func auditRecords(since: Int64? = nil, target: String? = nil, limit: Int? = nil) throws -> [AuditRecord] {
        try read("reading the audit") { db in try Self.storedAuditRows(db, since: since, target: target, limit: limit) }.map { row in
            AuditRecord(
                id: row.id, at: row.at, actor: row.actor, action: row.action,
                targets: (try? JSONDecoder().decode([String].self, from: Data(row.targetsJSON.utf8))) ?? [],
                parameters: (try? JSONDecoder().decode([String: String].self, from: Data(row.parametersJSON.utf8))) ?? [:],
                outcome: row.outcome, providerRequestID: row.providerRequestID, prevHash: row.prevHash, hash: row.hash,
                mac: row.mac)
        }
    }

    /// The chain's end as stored: the last row's id and hash (`AuditHead.genesis` for no rows).
    ///
    /// This is what an operator exports (`batchtop audit --head`) to check later with `verifyAudit(expecting:)`.
    public func auditHead() throws -> AuditHead {
        try read("reading the audit head") { db in
            try Row.fetchOne(db, sql: "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")
                .map { AuditHead(sequence: $0[0], hash: $0[1]) } ?? .genesis
        }
    }

    /// Recomputes every row's hash, link and signature, checks the head record's counter and
    /// signature, and (when given) that the chain still contains an exported head.
    ///
    /// The key is read, never created: a missing key leaves signed rows unverifiable (a failure).
    public func verifyAudit(expecting: (sequence: Int64?, hash: String)? = nil) throws -> AuditVerification {
        let snapshot = try read("reading the audit") { db in
            AuditChainSnapshot(
                rows: try Self.storedAuditRows(db, since: nil, target: nil, limit: nil), head: try Self.headRecord(db),
                missingProtections: try AuditProtection.problems(db).map(\.name))
        }
        let key = try auditKey?.load()
        var result = AuditVerification.check(snapshot, key: key, keyPath: auditKey?.url.path, expecting: expecting)
        result.keyWarning = auditKey?.permissionWarning()
        return result
    }

    /// Restores missing or altered protection triggers and records that in the audit, once.
    ///
    /// Called at open. Rule: a database that cannot be written (read-only file or mount) is left as
    /// found, why: a read-only look must still work; `verifyAudit` then reports the missing triggers.
    func restoreAuditProtection() {
        do {
            guard try !read("checking the audit's protection", { try AuditProtection.problems($0) }).isEmpty else { return }
            try write("restoring the audit's protection triggers") { db in
                // Re-checked inside the write: another process may have restored them meanwhile.
                let problems = try AuditProtection.problems(db)
                guard !problems.isEmpty else { return }
                try AuditProtection.restore(db, problems)
                let names = problems.map(\.name)
                _ = try appendAudit(db, AuditDraft(
                    at: Int64(Date().timeIntervalSince1970), actor: "batchtop", action: AuditRecord.protectionRestoredAction,
                    targets: names,
                    outcome: "audit protection triggers were missing and were restored: " + problems.map(\.description).joined(separator: ", ")))
            }
        } catch {
            Logger(label: "batchtop.store").warning("audit protection triggers not restored: \(error)")
        }
    }

    static func headRecord(_ db: Database) throws -> AuditHeadRecord? {
        try Row.fetchOne(db, sql: "SELECT row_count, last_id, head_hash, mac FROM audit_head WHERE id = 1")
            .map { AuditHeadRecord(rowCount: $0[0], lastID: $0[1], headHash: $0[2], mac: $0[3]) }
    }

    static func storedAuditRows(_ db: Database, since: Int64?, target: String?, limit: Int?) throws -> [StoredAuditRow] {
        var clauses: [String] = []
        var args: [any DatabaseValueConvertible] = []
        if let since { clauses.append("at >= ?"); args.append(since) }
        if let target { clauses.append("EXISTS (SELECT 1 FROM json_each(audit.targets) WHERE value = ?)"); args.append(target) }
        let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        let limitSQL = limit.map { " LIMIT \(max(0, $0))" } ?? ""
        return try Row.fetchAll(db, sql: """
            SELECT id, at, actor, action, targets, parameters_json, outcome, provider_request_id, prev_hash, hash, mac
            FROM audit\(whereSQL) ORDER BY id\(limitSQL)
            """, arguments: StatementArguments(args)).map {
            StoredAuditRow(id: $0[0], at: $0[1], actor: $0[2], action: $0[3], targetsJSON: $0[4], parametersJSON: $0[5],
                           outcome: $0[6], providerRequestID: $0[7], prevHash: $0[8], hash: $0[9], mac: $0[10])
        }
    }
}

/// The triggers that make `audit` append-only and keep `audit_head` from being deleted or rewound,
/// and how to find and restore them.
///
/// Rule: each trigger is compared with its definition, not only by name, why: a trigger dropped and
/// re-created as a no-op under the same name protects nothing. Other triggers on these tables are
/// dropped on restore, why: one could rewrite what an append writes.
enum AuditProtection {
    /// Name and exact definition of each protection trigger.
    static let triggers: [(name: String, sql: String)] = [
        ("audit_no_update", "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END"),
        ("audit_no_delete", "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END"),
        ("audit_head_no_delete",
         "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'the audit head is kept'); END"),
        ("audit_head_no_rewind",
         "CREATE TRIGGER audit_head_no_rewind BEFORE UPDATE ON audit_head WHEN NEW.id <> OLD.id OR NEW.row_count < OLD.row_count BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END"),
    ]

    /// The head record's table (created by the v6 migration; re-created empty when dropped, so appends
    /// keep working while `verify` reports the lost record).
    static let headTable = """
        CREATE TABLE audit_head (
            id        INTEGER PRIMARY KEY CHECK (id = 1),
            row_count INTEGER NOT NULL,
            last_id   INTEGER,
            head_hash TEXT,
            mac       TEXT
        )
        """

    /// A trigger that is missing, altered, or foreign to the audit tables.
    struct Problem: Hashable, CustomStringConvertible {
        enum Kind: Hashable { case missing, altered, foreign, missingTable }
        var name: String
        var kind: Kind
        var description: String {
            switch kind {
            case .missing: return name
            case .altered: return "\(name) (altered)"
            case .foreign: return "\(name) (unknown trigger, dropped)"
            case .missingTable: return "table \(name) (re-created without its record)"
            }
        }
    }

    /// What differs from the expected set of triggers on `audit` and `audit_head`.
    static func problems(_ db: Database) throws -> [Problem] {
        var found: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit', 'audit_head')") {
            found[row[0]] = row[1] ?? ""
        }
        var problems: [Problem] = []
        if try !db.tableExists("audit_head") { problems.append(Problem(name: "audit_head", kind: .missingTable)) }
        for (name, sql) in triggers {
            guard let existing = found.removeValue(forKey: name) else { problems.append(Problem(name: name, kind: .missing)); continue }
            if normalized(existing) != normalized(sql) { problems.append(Problem(name: name, kind: .altered)) }
        }
        problems += found.keys.sorted().map { Problem(name: $0, kind: .foreign) }
        return problems
    }

    /// Drops what is altered or foreign and creates what is expected.
    static func restore(_ db: Database, _ problems: [Problem]) throws {
        if problems.contains(where: { $0.kind == .missingTable }) { try db.execute(sql: headTable) }
        for problem in problems where problem.kind == .altered || problem.kind == .foreign {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(problem.name.quotedDatabaseIdentifier)")
        }
        for problem in problems where problem.kind == .missing || problem.kind == .altered {
            if let sql = triggers.first(where: { $0.name == problem.name })?.sql { try db.execute(sql: sql) }
        }
    }

    /// The definition with runs of white space collapsed (SQLite keeps the text as written).
    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
