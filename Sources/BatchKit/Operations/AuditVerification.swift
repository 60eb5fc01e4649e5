/// The result of checking the audit chain: every row's hash, link and signature, the head record's
/// counter and signature, and (when given) an exported head the chain must still contain.
public struct AuditVerification: Sendable, Hashable {
    /// Rows checked.
    public var rowCount: Int
    /// Rows carrying a signature (MAC) under the audit key.
    public var signedRowCount: Int
    /// The chain's end as found: the last row's id and hash (`AuditHead.genesis` for no rows).
    public var head: AuditHead
    /// The first problem found, with why; nil when the whole chain holds.
    public var firstFailure: Failure?
    /// Times the store found the protection triggers missing or altered and restored them (from the
    /// chain's own `audit.protection.restored` rows).
    public var restorations: [Restoration]
    /// Protection triggers missing right now (the database could not be written to restore them).
    public var missingProtections: [String]
    /// Something about the key that deserves attention (readable by others), when anything.
    public var keyWarning: String?

    /// A problem in the chain; `rowID` is nil for a problem with the chain's end or its head record.
    public struct Failure: Sendable, Hashable, CustomStringConvertible {
        public var rowID: Int64?
        public var reason: String
        public var description: String { rowID.map { "audit row \($0): \(reason)" } ?? reason }
    }

    /// One `audit.protection.restored` row.
    public struct Restoration: Sendable, Hashable {
        public var rowID: Int64
        public var at: Int64
        public var outcome: String
    }

    /// Whether every row, the head record and the expected head hold.
    public var isIntact: Bool { firstFailure == nil }

    /// Rows without a signature, all before the first signed row (written before signing existed).
    public var unsignedRowCount: Int { rowCount - signedRowCount }

    /// One line for the terminal when the chain holds.
    public var summary: String {
        var text = "audit chain intact: \(rowCount) rows verified"
        if rowCount > 0 {
            if signedRowCount == rowCount {
                text += " (all signed)"
            } else if signedRowCount == 0 {
                text += " (all unsigned legacy rows: the chain is not anchored by a key yet; keep its head with `batchtop audit --head`)"
            } else {
                text += " (\(unsignedRowCount) unsigned legacy rows written before signing, then \(signedRowCount) signed)"
            }
        }
        return text + "; head \(head)"
    }

    /// Checks a snapshot of the chain (rows ascending by id, read in one transaction with its head).
    ///
    /// - Parameters:
    ///   - key: the audit key, nil when there is none; signed rows then cannot be vouched for.
    ///   - keyPath: where the key is (or would be), for messages.
    ///   - expecting: an exported head the chain must still contain (`--expect-head`).
    public static func check(_ snapshot: AuditChainSnapshot, key: AuditKey?, keyPath: String?,
                             expecting: (sequence: Int64?, hash: String)? = nil) -> AuditVerification {
        let rows = snapshot.rows
        let end = rows.last.map { AuditHead(sequence: $0.id, hash: $0.hash) } ?? .genesis
        var result = AuditVerification(
            rowCount: rows.count, signedRowCount: rows.count { $0.mac != nil }, head: end, firstFailure: nil,
            restorations: rows.filter { $0.action == AuditRecord.protectionRestoredAction }
                .map { Restoration(rowID: $0.id, at: $0.at, outcome: $0.outcome) },
            missingProtections: snapshot.missingProtections, keyWarning: nil)
        result.firstFailure = firstFailure(snapshot, key: key, keyPath: keyPath ?? "(none configured)", expecting: expecting)
        return result
    }

    private static func firstFailure(_ snapshot: AuditChainSnapshot, key: AuditKey?, keyPath: String,
                                     expecting: (sequence: Int64?, hash: String)?) -> Failure? {
        let rows = snapshot.rows
        let noKey = "the audit key \(keyPath) is missing; restore the key this database was signed with to verify it"
        var previous: String? = nil
        var previousID: Int64 = 0
        var signedSeen = false
        for row in rows {
            if row.prevHash != previous {
                return Failure(rowID: row.id, reason: "its link to the previous row does not match (a row before it was changed, removed or inserted)")
            }
            let canonical = AuditRecord.canonical(
                id: row.id, at: row.at, actor: row.actor, action: row.action, targetsJSON: row.targetsJSON,
                parametersJSON: row.parametersJSON, outcome: row.outcome, providerRequestID: row.providerRequestID,
                prevHash: row.prevHash)
            if AuditRecord.hash(canonical: canonical) != row.hash {
                return Failure(rowID: row.id, reason: "its content does not match its hash (the row was modified)")
            }
            // Ids are dense (each append takes the next one and rows are never deleted), so a gap is a deletion.
            if row.id != previousID + 1 {
                let gap = previousID + 1 == row.id - 1 ? "row \(previousID + 1) is" : "rows \(previousID + 1) to \(row.id - 1) are"
                return Failure(rowID: row.id, reason: "\(gap) missing before it (deleted outside batchtop)")
            }
            if let mac = row.mac {
                signedSeen = true
                guard let key else { return Failure(rowID: row.id, reason: "it is signed but \(noKey)") }
                if !key.isValidRowMAC(mac, hash: row.hash) {
                    return Failure(rowID: row.id, reason: "its signature does not match the audit key \(keyPath) (the row was rewritten and re-hashed, or signed with another key)")
                }
            } else if signedSeen {
                return Failure(rowID: row.id, reason: "it is unsigned although rows before it are signed (its signature was removed, or it was written outside batchtop)")
            }
            previous = row.hash
            previousID = row.id
        }
        if let failure = headFailure(snapshot, key: key, keyPath: keyPath, noKey: noKey, signed: signedSeen) { return failure }
        guard let expecting else { return nil }
        return expectedHeadFailure(rows, expecting)
    }

    /// The head record against the rows: its signature, then the counter and the last row.
    private static func headFailure(_ snapshot: AuditChainSnapshot, key: AuditKey?, keyPath: String, noKey: String,
                                    signed: Bool) -> Failure? {
        guard let head = snapshot.head else {
            return Failure(rowID: nil, reason: "the audit head record (audit_head) is missing: it was deleted outside batchtop, so rows cut from the end cannot be counted")
        }
        if let mac = head.mac {
            guard let key else { return Failure(rowID: nil, reason: "the audit head is signed but \(noKey)") }
            if !key.isValidHeadMAC(mac, rowCount: head.rowCount, lastID: head.lastID, headHash: head.headHash) {
                return Failure(rowID: nil, reason: "the audit head record does not match its signature (it was rewritten outside batchtop)")
            }
        } else if signed {
            return Failure(rowID: nil, reason: "the audit head record is unsigned although rows are signed (it was rewritten outside batchtop)")
        }
        let rows = snapshot.rows
        let count = Int64(rows.count)
        let recorded = "row \(head.lastID ?? 0) \(head.headHash ?? AuditHead.genesis.hash)"
        if head.rowCount > count {
            let missing = head.rowCount - count
            let lastID = rows.last?.id ?? 0
            if lastID < head.lastID ?? 0 {
                return Failure(rowID: nil, reason: "\(missing) row\(missing == 1 ? "" : "s") missing from the end: the chain had \(head.rowCount) rows at head \(recorded), it now ends at row \(lastID)")
            }
            return Failure(rowID: nil, reason: "\(missing) row\(missing == 1 ? "" : "s") missing: \(head.rowCount) rows were appended, the chain holds \(count)")
        }
        if head.rowCount < count {
            return Failure(rowID: nil, reason: "\(count - head.rowCount) row(s) more than were appended through batchtop (head \(recorded)): rows were inserted outside batchtop")
        }
        if let last = rows.last, last.id != head.lastID || last.hash != head.headHash {
            return Failure(rowID: last.id, reason: "the chain's last row is not the recorded head \(recorded)")
        }
        return nil
    }

    /// An exported head the chain must still contain: the row with that sequence (or hash) and hash.
    private static func expectedHeadFailure(_ rows: [StoredAuditRow], _ expected: (sequence: Int64?, hash: String)) -> Failure? {
        if expected.sequence == 0 || (expected.sequence == nil && expected.hash == AuditHead.genesis.hash) { return nil }
        let shown = expected.sequence.map { "row \($0) \(expected.hash)" } ?? expected.hash
        if let sequence = expected.sequence {
            guard let row = rows.first(where: { $0.id == sequence }) else {
                let lastID = rows.last?.id ?? 0
                if lastID < sequence {
                    return Failure(rowID: nil, reason: "the chain ends at row \(lastID), before the expected head \(shown): rows were cut from the end")
                }
                return Failure(rowID: nil, reason: "the expected head \(shown) is not in the chain: row \(sequence) is gone")
            }
            if row.hash != expected.hash {
                return Failure(rowID: sequence, reason: "its hash is not the expected head \(shown): the chain was rewritten at or before this row")
            }
            return nil
        }
        if rows.contains(where: { $0.hash == expected.hash }) { return nil }
        return Failure(rowID: nil, reason: "the expected head \(shown) is not in the chain: it was cut back or rewritten")
    }
}

/// The audit rows and their head record, read in one transaction, for verification.
public struct AuditChainSnapshot: Sendable, Hashable {
    /// Every row, ascending by id.
    public var rows: [StoredAuditRow]
    /// The head record; nil when it is missing.
    public var head: AuditHeadRecord?
    /// Protection triggers missing or altered at the time of reading.
    public var missingProtections: [String]

    public init(rows: [StoredAuditRow], head: AuditHeadRecord?, missingProtections: [String] = []) {
        self.rows = rows; self.head = head; self.missingProtections = missingProtections
    }
}

/// An audit row exactly as stored (JSON columns as text), for verification.
public struct StoredAuditRow: Sendable, Hashable {
    public var id: Int64
    public var at: Int64
    public var actor: String
    public var action: String
    public var targetsJSON: String
    public var parametersJSON: String
    public var outcome: String
    public var providerRequestID: String?
    public var prevHash: String?
    public var hash: String
    public var mac: String?
}
