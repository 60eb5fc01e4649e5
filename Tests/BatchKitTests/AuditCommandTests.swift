import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// `batchtop audit --verify / --head / --expect-head` and the audit key, run as real processes.
@Suite final class AuditCommandTests {
    let dir: URL
    let db: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("audit-command")
        db = dir.appendingPathComponent("batchtop.sqlite")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cfg"), withIntermediateDirectories: true)
        try Data("".utf8).write(to: dir.appendingPathComponent("cfg/config.toml"))
        _ = try BatchStore(url: db)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Where the binary keeps the audit key with this test's `XDG_STATE_HOME`.
    var keyPath: String { dir.appendingPathComponent("state/batchtop/audit.key").path }

    func batchtop(_ arguments: [String]) throws -> BatchtopProcess.Run {
        try BatchtopProcess.run(arguments + ["--db", db.path], environment: [
            "OPENAI_API_KEY": nil, "OPENAI_BASE_URL": nil, "LOGNAME": nil, "USER": "ana",
            "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path,
            "XDG_DATA_HOME": dir.appendingPathComponent("data").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
        ])
    }

    func reclassify(_ workload: String) throws {
        let run = try batchtop(["reclassify", "--workload", workload, "--lane", "batch", "--reason", "cheaper"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func theBinarySignsVerifiesAndCatchesARehashedEdit() throws {
        try reclassify("w1")
        try reclassify("w2")
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try batchtop(["info"]).stdout.contains("audit key"))
        #expect(try batchtop(["info"]).stdout.contains(keyPath))

        let ok = try batchtop(["audit", "--verify"])
        #expect(ok.status == 0 && ok.stdout.contains("audit chain intact: 2 rows verified (all signed)"), "\(ok.stderr)")
        let head = try batchtop(["audit", "--head"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = try #require(AuditHead.parse(head))
        #expect(parsed.sequence == 2)
        #expect(try batchtop(["audit", "--head", "--json"]).stdout.contains(#""schema" : "batchtop.audit-head/v1""#))
        #expect(try batchtop(["audit", "--verify", "--expect-head", head]).status == 0)

        // A head that is not in the chain: rewritten (or another database).
        let other = "2 " + String(repeating: "ab", count: 32)
        let rewritten = try batchtop(["audit", "--verify", "--expect-head", other])
        #expect(rewritten.status == 1)
        #expect(rewritten.stderr.contains("audit chain BROKEN at audit row 2: its hash is not the expected head"))
        let beyond = try batchtop(["audit", "--verify", "--expect-head", "9 " + String(repeating: "ab", count: 32)])
        #expect(beyond.status == 1 && beyond.stderr.contains("rows were cut from the end"))
        let garbage = try batchtop(["audit", "--verify", "--expect-head", "yesterday"])
        #expect(garbage.status == 64 && garbage.stderr.contains("is not a head"))

        // Someone with write access edits row 1, re-hashes the chain with the public algorithm and leaves
        // the triggers dropped: the next open restores them, and verify names the row and the restore.
        try DatabaseQueue(path: db.path).write { db in
            for (name, _) in AuditProtection.triggers { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
            try db.execute(sql: "UPDATE audit SET actor = 'mallory' WHERE id = 1")
            try AuditAnchorTests.rehashChain(db)
        }
        let broken = try batchtop(["audit", "--verify"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("audit chain BROKEN at audit row 1: its signature does not match the audit key \(keyPath)"))
        #expect(broken.stderr.contains("audit protection triggers were missing and were restored"))
    }

    @Test func rowsCutFromTheEndFailThroughTheBinary() throws {
        try reclassify("w1")
        try reclassify("w2")
        try reclassify("w3")
        try DatabaseQueue(path: db.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
            try db.execute(sql: "DELETE FROM audit WHERE id > 1")
            try db.execute(sql: AuditProtection.triggers.first { $0.name == "audit_no_delete" }!.sql)
        }
        let run = try batchtop(["audit", "--verify"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("audit chain BROKEN: 2 rows missing from the end: the chain had 3 rows at head row 3"))
    }

    @Test func aReadCommandRestoresDroppedTriggersAndVerifyReportsIt() throws {
        try reclassify("w1")
        try DatabaseQueue(path: db.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "DROP TRIGGER audit_no_delete")
        }
        #expect(try batchtop(["jobs"]).status == 0)
        let names = try DatabaseQueue(path: db.path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' ORDER BY name")
        }
        #expect(names == ["audit_no_delete", "audit_no_update"])
        let run = try batchtop(["audit", "--verify"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("audit chain intact: 2 rows verified"))
        #expect(run.stderr.contains("warning: row 2 "))
        #expect(run.stderr.contains("audit protection triggers were missing and were restored: audit_no_update, audit_no_delete"))
        let rows = try batchtop(["audit"]).stdout
        #expect(rows.contains("batchtop audit.protection.restored audit_no_update,audit_no_delete"))
    }
}
