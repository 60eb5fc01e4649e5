import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// The audit chain against someone who can write the database but does not hold the audit key:
/// re-hashed edits, rows cut from the end, a rewritten head, dropped triggers, and old databases.
@Suite final class AuditAnchorTests {
    let dir: URL
    let url: URL
    let keyFile: AuditKeyFile

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("audit-anchor")
        url = dir.appendingPathComponent("batchtop.sqlite")
        keyFile = AuditKeyFile(url: dir.appendingPathComponent("state/audit.key"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func open() throws -> BatchStore { try BatchStore(url: url, auditKey: AuditKeyFile(url: keyFile.url)) }

    @discardableResult
    func append(_ store: BatchStore, _ n: Int, from first: Int = 0) throws -> [AuditRecord] {
        try (first..<first + n).map { i in
            try store.appendAudit(AuditDraft(at: 1_000 + Int64(i), actor: "ana", action: "cancel", targets: ["batch_\(i)"],
                                             parameters: ["n": String(i)], outcome: "ok \(i)"))
        }
    }

    /// Writes to the database as an attacker would: a plain SQLite connection, protection triggers
    /// dropped, then (unless `leaveTriggersDropped`) put back so nothing looks touched.
    func tamper(leaveTriggersDropped: Bool = false, _ body: (Database) throws -> Void) throws {
        try DatabaseQueue(path: url.path).write { db in
            for (name, _) in AuditProtection.triggers { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
            try body(db)
            if !leaveTriggersDropped {
                for (_, sql) in AuditProtection.triggers { try db.execute(sql: sql) }
            }
        }
    }

    /// Recomputes every row's hash and link with the public algorithm and points the head at the new end.
    static func rehashChain(_ db: Database) throws {
        var previous: String? = nil
        for row in try Row.fetchAll(db, sql: """
            SELECT id, at, actor, action, targets, parameters_json, outcome, provider_request_id FROM audit ORDER BY id
            """) {
            let id: Int64 = row[0]
            let hash = AuditRecord.hash(canonical: AuditRecord.canonical(
                id: id, at: row[1], actor: row[2], action: row[3], targetsJSON: row[4], parametersJSON: row[5],
                outcome: row[6], providerRequestID: row[7], prevHash: previous))
            try db.execute(sql: "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
            previous = hash
        }
        if (try? db.tableExists("audit_head")) == true {
            try db.execute(sql: "UPDATE audit_head SET head_hash = ?", arguments: [previous])
        }
    }

    @Test func signedRowsVerifyAndTheKeyFileIsMade0600() throws {
        let store = try open()
        let rows = try append(store, 3)
        #expect(rows.allSatisfy { $0.mac != nil })
        let check = try store.verifyAudit()
        #expect(check.isIntact, "\(String(describing: check.firstFailure))")
        #expect(check.signedRowCount == 3 && check.head == AuditHead(sequence: 3, hash: rows[2].hash))
        #expect(check.summary.contains("3 rows verified (all signed)"))
        let info = try FileManager.default.attributesOfItem(atPath: keyFile.url.path)
        #expect((info[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((info[.size] as? NSNumber)?.intValue == 32)
        // A second process (a new key file object) reads the same key: its rows verify with the first's.
        try append(try open(), 1, from: 3)
        #expect(try open().verifyAudit().isIntact)
    }

    @Test func anEditedRowRehashedWithThePublicAlgorithmFailsNamingTheRow() throws {
        try append(try open(), 4)
        try tamper { db in
            try db.execute(sql: "UPDATE audit SET outcome = 'nothing happened' WHERE id = 2")
            try Self.rehashChain(db)
        }
        let check = try open().verifyAudit()
        #expect(check.firstFailure?.rowID == 2)
        #expect(check.firstFailure?.reason.contains("signature does not match the audit key") == true)
    }

    @Test func deletingEveryRowIsDetected() throws {
        let rows = try append(try open(), 3)
        try tamper { try $0.execute(sql: "DELETE FROM audit") }
        let check = try open().verifyAudit()
        #expect(!check.isIntact)
        #expect(check.firstFailure?.reason == "3 rows missing from the end: the chain had 3 rows at head row 3 \(rows[2].hash), it now ends at row 0")
        // Left with the triggers dropped, the next open restores them and records that as row 4: the
        // deleted rows still show, as the gap before it.
        try tamper(leaveTriggersDropped: true) { _ in }
        let reopened = try open().verifyAudit()
        #expect(reopened.firstFailure == AuditVerification.Failure(rowID: 4, reason: "rows 1 to 3 are missing before it (deleted outside batchtop)"))
        #expect(reopened.restorations.map(\.rowID) == [4])
    }

    @Test func deletingTheLastRowsIsDetected() throws {
        try append(try open(), 5)
        try tamper { try $0.execute(sql: "DELETE FROM audit WHERE id >= 4") }
        let check = try open().verifyAudit()
        #expect(check.firstFailure?.reason.hasPrefix("2 rows missing from the end: the chain had 5 rows") == true)
        #expect(check.firstFailure?.rowID == nil)
    }

    @Test func aHeadRewrittenToMatchAShorterChainFailsItsSignature() throws {
        let rows = try append(try open(), 3)
        try tamper { db in
            try db.execute(sql: "DELETE FROM audit WHERE id = 3")
            try db.execute(sql: "UPDATE audit_head SET row_count = 2, last_id = 2, head_hash = ?", arguments: [rows[1].hash])
        }
        #expect(try open().verifyAudit().firstFailure?.reason.contains("head record does not match its signature") == true)
        // Nor does a later append launder it: the head is not re-signed, and the gap stays visible.
        let store = try open()
        try append(store, 1, from: 3)
        #expect(try DatabaseQueue(path: url.path).read { try String.fetchOne($0, sql: "SELECT mac FROM audit_head") } == nil)
        #expect(try store.verifyAudit().firstFailure == AuditVerification.Failure(rowID: 4, reason: "row 3 is missing before it (deleted outside batchtop)"))

    }

    @Test func anUnsignedHeadUnderSignedRowsFails() throws {
        try append(try open(), 3)
        try tamper { try $0.execute(sql: "UPDATE audit_head SET mac = NULL") }
        #expect(try open().verifyAudit().firstFailure?.reason.contains("head record is unsigned although rows are signed") == true)
    }

    @Test func aStrippedSignatureFails() throws {
        try append(try open(), 3)
        try tamper { try $0.execute(sql: "UPDATE audit SET mac = NULL WHERE id = 3") }
        let check = try open().verifyAudit()
        #expect(check.firstFailure?.rowID == 3)
        #expect(check.firstFailure?.reason.contains("unsigned although rows before it are signed") == true)
    }

    @Test func withoutTheKeySignedRowsAreNeitherVouchedForNorExtended() throws {
        try append(try open(), 2)
        try FileManager.default.removeItem(at: keyFile.url)
        // Reading: the key is never re-created by a verify, and signed rows cannot be vouched for.
        #expect(try open().verifyAudit().firstFailure?.reason.contains("the audit key \(keyFile.url.path) is missing") == true)
        #expect(!FileManager.default.fileExists(atPath: keyFile.url.path))
        // Writing without any key configured is refused rather than leaving unsigned rows after signed ones.
        let unkeyed = try BatchStore(url: url)
        #expect(throws: AuditKeyError.self) { try self.append(unkeyed, 1, from: 2) }
    }

    @Test func droppedOrNeutralisedTriggersAreRestoredAtOpenAndReported() throws {
        try append(try open(), 2)
        try tamper(leaveTriggersDropped: true) { db in
            // All dropped, one re-created as a no-op under its own name.
            try db.execute(sql: "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT 1; END")
        }
        let store = try open()
        #expect(try store.verifyAudit().missingProtections.isEmpty)
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: self.url.path).write { try $0.execute(sql: "UPDATE audit SET actor = 'x' WHERE id = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try DatabaseQueue(path: self.url.path).write { try $0.execute(sql: "DELETE FROM audit WHERE id = 2") }
        }
        let check = try store.verifyAudit()
        #expect(check.isIntact, "\(String(describing: check.firstFailure))")
        #expect(check.restorations.count == 1)
        let outcome = try #require(check.restorations.first?.outcome)
        #expect(outcome.hasPrefix("audit protection triggers were missing and were restored"))
        #expect(outcome.contains("audit_no_update (altered)") && outcome.contains("audit_no_delete"))
        #expect(check.missingProtections.isEmpty)
        // Opening again finds them in place: nothing more is recorded.
        #expect(try open().verifyAudit().restorations.count == 1)
    }

    @Test func aVersion5DatabaseVerifiesAsUnsignedLegacyRowsThenSigns() throws {
        // The database as the previous release left it: audit rows without a MAC column or head record.
        var legacy: [String] = []
        do {
            let pool = try DatabasePool(path: url.path)
            try StoreSchema.migrator.migrate(pool, upTo: "v5-revisions")
            try pool.write { db in
                var previous: String? = nil
                for id in Int64(1)...3 {
                    let hash = AuditRecord.hash(canonical: AuditRecord.canonical(
                        id: id, at: 500 + id, actor: "old", action: "cancel", targetsJSON: "[\"b\"]", parametersJSON: "{}",
                        outcome: "requested", providerRequestID: nil, prevHash: previous))
                    try db.execute(sql: """
                        INSERT INTO audit (id, at, actor, action, targets, parameters_json, outcome, prev_hash, hash)
                        VALUES (?, ?, 'old', 'cancel', '["b"]', '{}', 'requested', ?, ?)
                        """, arguments: [id, 500 + id, previous, hash])
                    previous = hash
                    legacy.append(hash)
                }
            }
        }
        let store = try open()
        let before = try store.verifyAudit()
        #expect(before.isIntact, "\(String(describing: before.firstFailure))")
        #expect(before.unsignedRowCount == 3 && before.signedRowCount == 0)
        #expect(before.summary.contains("all unsigned legacy rows"))
        #expect(before.head == AuditHead(sequence: 3, hash: legacy[2]))
        try append(store, 1, from: 3)
        let after = try store.verifyAudit()
        #expect(after.isIntact, "\(String(describing: after.firstFailure))")
        #expect(after.summary.contains("3 unsigned legacy rows written before signing, then 1 signed"))
        // The first signed row anchors the legacy rows before it: re-hashing an edited legacy row fails there.
        try tamper { db in
            try db.execute(sql: "UPDATE audit SET outcome = 'refused' WHERE id = 1")
            try Self.rehashChain(db)
        }
        #expect(try open().verifyAudit().firstFailure?.rowID == 4)
    }

    @Test func anExportedHeadCatchesAChainCutBackOrRebuilt() throws {
        let store = try open()
        try append(store, 3)
        let head = try store.auditHead()
        #expect(head.sequence == 3)
        #expect(AuditHead.parse(head.description)! == (3, head.hash))
        try append(store, 2, from: 3)
        // The chain grew past the exported head: still contains it.
        #expect(try store.verifyAudit(expecting: (head.sequence, head.hash)).isIntact)
        #expect(try store.verifyAudit(expecting: (nil, head.hash)).isIntact)
        // A wrong hash at that sequence: rewritten.
        let wrong = String(repeating: "a", count: 64)
        #expect(try store.verifyAudit(expecting: (3, wrong)).firstFailure?.reason.contains("the chain was rewritten at or before this row") == true)
        // Beyond the end: cut back.
        #expect(try store.verifyAudit(expecting: (9, wrong)).firstFailure?.reason.contains("rows were cut from the end") == true)
        // A database rebuilt from scratch without signatures (every trace of signing gone) verifies on its
        // own, but not against the exported head.
        try tamper { db in
            try db.execute(sql: "DELETE FROM audit WHERE id > 1")
            try db.execute(sql: "UPDATE audit SET mac = NULL, outcome = 'rebuilt'")
            try db.execute(sql: "UPDATE audit_head SET row_count = 1, last_id = 1, mac = NULL")
            try Self.rehashChain(db)
        }
        let rebuilt = try open()
        #expect(try rebuilt.verifyAudit().isIntact)
        #expect(try rebuilt.verifyAudit(expecting: (head.sequence, head.hash)).isIntact == false)
    }

    @Test func headParsing() {
        let hash = String(repeating: "0f", count: 32)
        #expect(AuditHead.parse("12 \(hash)")! == (12, hash))
        #expect(AuditHead.parse("12:\(hash.uppercased())")! == (12, hash))
        #expect(AuditHead.parse(hash)! == (nil, hash))
        #expect(AuditHead.parse("12 abc") == nil)
        #expect(AuditHead.parse("-1 \(hash)") == nil)
        #expect(AuditHead.parse("x \(hash)") == nil)
    }
}
