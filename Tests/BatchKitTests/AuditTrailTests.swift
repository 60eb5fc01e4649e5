import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

@Suite final class AuditTrailTests {
    let dir: URL
    let store: BatchStore

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("audit")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func appendThree() throws {
        for (i, action) in ["cancel", "resubmit", "decision.approve"].enumerated() {
            try store.appendAudit(AuditDraft(at: 1_000 + Int64(i), actor: "ana", action: action, targets: ["batch_\(i)"],
                                             parameters: ["n": String(i)], outcome: "ok \(i)", providerRequestID: "req_\(i)"))
        }
    }

    @Test func rowsChainAndVerify() throws {
        try appendThree()
        let rows = try store.auditRecords()
        #expect(rows.map(\.action) == ["cancel", "resubmit", "decision.approve"])
        #expect(rows[0].prevHash == nil)
        #expect(rows[1].prevHash == rows[0].hash && rows[2].prevHash == rows[1].hash)
        #expect(Set(rows.map(\.hash)).count == 3)
        #expect(rows[2].providerRequestID == "req_2")
        let check = try store.verifyAudit()
        #expect(check.isIntact && check.rowCount == 3)
        #expect(try store.auditRecords(since: 1_001).count == 2)
        #expect(try store.auditRecords(target: "batch_1").map(\.action) == ["resubmit"])
    }

    @Test func updatesAndDeletesAreRefusedByTheDatabase() throws {
        try appendThree()
        let queue = try DatabaseQueue(path: store.url.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit SET outcome = 'x' WHERE id = 2") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit WHERE id = 2") } }
    }

    @Test("a row edited with the triggers dropped is detected, naming the row",
          arguments: ["UPDATE audit SET outcome = 'nothing happened' WHERE id = 2",
                      "UPDATE audit SET actor = 'mallory' WHERE id = 2",
                      "UPDATE audit SET parameters_json = '{\"n\":\"9\"}' WHERE id = 2"])
    func tamperingIsDetected(sql: String) throws {
        try appendThree()
        let queue = try DatabaseQueue(path: store.url.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: sql)
        }
        let check = try store.verifyAudit()
        #expect(!check.isIntact)
        #expect(check.firstFailure?.rowID == 2)
        #expect(check.firstFailure?.reason.contains("modified") == true)
    }

    @Test func aDeletedRowBreaksTheNextLink() throws {
        try appendThree()
        let queue = try DatabaseQueue(path: store.url.path)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit WHERE id = 2")
        }
        let check = try store.verifyAudit()
        #expect(check.firstFailure?.rowID == 3)
        #expect(check.firstFailure?.reason.contains("link") == true)
    }

    @Test func keysTokensAndBodiesNeverEnter() throws {
        let row = try store.appendAudit(AuditDraft(
            at: 1, actor: "ana", action: "resubmit", targets: ["b"],
            parameters: ["api_key": "sk-abc", "Authorization": "Bearer x", "request_body": "{...}", "token": "t",
                         "note": "used sk-proj-123 today", "requests": "3"],
            outcome: "failed with key sk-live-999 and header Bearer abc123 sent"))
        #expect(row.parameters == ["note": "used [redacted] today", "requests": "3"])
        #expect(row.outcome == "failed with key [redacted] and header [redacted] [redacted] sent")
        let raw = try DatabaseQueue(path: store.url.path).read { try String.fetchAll($0, sql: "SELECT parameters_json || outcome FROM audit") }
        #expect(raw.allSatisfy { !$0.contains("sk-") && !$0.contains("Bearer") })
    }
}
