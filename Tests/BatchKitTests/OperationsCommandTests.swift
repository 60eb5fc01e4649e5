import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// The operations commands run as real processes: identities from `$USER`, approvers from config.toml.
@Suite final class OperationsCommandTests {
    let dir: URL
    let db: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("ops-commands")
        db = dir.appendingPathComponent("batchtop.sqlite")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cfg"), withIntermediateDirectories: true)
        try config("")
        _ = try BatchStore(url: db)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func config(_ extra: String) throws {
        try Data("""
            [approvals]
            approvers = ["ana", "ben"]

            [[routing.rules]]
            workload = "chat-*"
            class = "interactive"
            \(extra)
            """.utf8).write(to: dir.appendingPathComponent("cfg/config.toml"))
    }

    func batchtop(_ arguments: [String], as user: String = "ana") throws -> (status: Int32, out: String, err: String) {
        let run = try BatchtopProcess.run(arguments + ["--db", db.path], environment: [
            "OPENAI_API_KEY": nil, "OPENAI_BASE_URL": nil, "LOGNAME": nil, "USER": user,
            "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path, "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
        ])
        return (run.status, run.stdout, run.stderr)
    }

    @Test func reclassifyApproveAsASecondIdentityAndRoutingChanges() throws {
        #expect(try batchtop(["route", "explain", "chat-support"]).out.contains("realtime (class interactive): rule #1"))
        let raised = try batchtop(["reclassify", "--workload", "chat-support", "--lane", "batch", "--reason", "nobody waits"])
        #expect(raised.status == 0, "\(raised.err)")
        let id = try #require(raised.out.split(separator: " ").dropFirst().first.map(String.init))
        let own = try batchtop(["decisions", "approve", id])
        #expect(own.status != 0 && own.err.contains("cannot approve it"))
        let outsider = try batchtop(["decisions", "approve", id], as: "carl")
        #expect(outsider.status != 0 && outsider.err.contains("carl may not approve"))
        #expect(try batchtop(["route", "explain", "chat-support"]).out.contains("realtime"))
        let ok = try batchtop(["decisions", "approve", id, "--comment", "fine"], as: "ben")
        #expect(ok.status == 0, "\(ok.err)")
        let route = try batchtop(["route", "explain", "chat-support"], as: "carl").out
        #expect(route.contains("batch: approved decision \(id) by ben"))
        let json = try batchtop(["decisions", "list", "--all", "--json"]).out
        #expect(json.contains(#""schema" : "batchtop.decisions/v1""#) && json.contains(#""state" : "approved""#))
        let audit = try batchtop(["audit", "--json"]).out
        #expect(audit.contains(#""schema" : "batchtop.audit/v1""#))
        #expect(try batchtop(["audit", "--verify"]).out.contains("audit chain intact: 4 rows verified"))
        #expect(try batchtop(["audit", "--since", "7d", "--target", id]).out.split(separator: "\n").count == 4)
        #expect(try batchtop(["audit", "--since", "yesterday-ish"]).err.contains("is not understood"))
    }

    @Test func readonlyFlagAndConfigRefuseWrites() throws {
        let flag = try batchtop(["reclassify", "--workload", "w", "--lane", "batch", "--reason", "r", "--readonly"])
        #expect(flag.status != 0 && flag.err.contains("batchtop is read-only"))
        try config("[ui]\nreadonly = true\n")
        for args in [["reclassify", "--workload", "w", "--lane", "batch", "--reason", "r"], ["decisions", "approve", "dec_x"],
                     ["decisions", "reject", "dec_x", "--comment", "no"], ["cancel", "batch_x"], ["resubmit", "batch_x"]] {
            let run = try batchtop(args, as: "ben")
            #expect(run.status != 0 && run.err.contains("read-only"), "\(args): \(run.err)")
        }
        #expect(try BatchStore(url: db).decisions().isEmpty)
    }

    @Test func verifyNamesATamperedRow() throws {
        _ = try batchtop(["reclassify", "--workload", "w", "--lane", "batch", "--reason", "first"])
        _ = try batchtop(["reclassify", "--workload", "v", "--lane", "batch", "--reason", "second"])
        try DatabaseQueue(path: db.path).write { db in
            try db.execute(sql: "DROP TRIGGER audit_no_update")
            try db.execute(sql: "UPDATE audit SET actor = 'mallory' WHERE id = 1")
        }
        let run = try batchtop(["audit", "--verify"])
        #expect(run.status == 1)
        #expect(run.err.contains("audit chain BROKEN at audit row 1"))
    }

    @Test func badInputGetsAClearError() throws {
        let noReason = try batchtop(["reclassify", "--workload", "w", "--lane", "batch", "--reason", ""])
        #expect(noReason.status != 0 && noReason.err.contains("needs a reason"))
        let badLane = try batchtop(["reclassify", "--workload", "w", "--lane", "flex", "--reason", "r"])
        #expect(badLane.status != 0 && badLane.err.contains("--lane must be realtime or batch"))
        let noKey = try batchtop(["cancel", "batch_x"])
        #expect(noKey.status != 0 && noKey.err.contains("No OpenAI API key"))
    }

    /// An approved move shows the lane it moved from, stored when it was raised, not today's route.
    @Test func anApprovedMoveShowsTheLaneItCameFrom() throws {
        let raised = try batchtop(["reclassify", "--workload", "nightly-eval", "--lane", "realtime", "--reason", "users wait"])
        #expect(raised.status == 0, "\(raised.err)")
        let id = try #require(raised.out.split(separator: " ").dropFirst().first.map(String.init))
        let ok = try batchtop(["decisions", "approve", id], as: "ben")
        #expect(ok.status == 0, "\(ok.err)")
        #expect(try batchtop(["route", "explain", "nightly-eval"]).out.contains("realtime"), "the route moved")
        let list = try batchtop(["decisions", "list", "--all"]).out
        #expect(list.contains("workload nightly-eval from lane batch -> lane realtime"), "\(list)")
        let json = try batchtop(["decisions", "list", "--all", "--json"]).out
        #expect(json.contains(#""from_lane" : "batch""#) && json.contains(#""to_lane" : "realtime""#), "\(json)")
    }

    /// `reclassify` and `decisions` price with the configured `[prices] file`, as the advisor does.
    @Test func costPreviewsUseTheConfiguredPriceFile() throws {
        // A day of real-time spend by chat-support (routed to realtime by the rule), priced three ways.
        let usage = TokenUsage(inputTokens: 2_000_000, outputTokens: 500_000)
        var batch = BatchFixtures.batch(1, status: .completed, createdAt: Int64(Date().timeIntervalSince1970) - 3_600,
                                        total: 10, completed: 10, workload: "chat-support", model: "gpt-4o-mini")
        batch.usage = usage
        batch.metadata[MetadataKey.lane] = "realtime"
        try BatchStore(url: db).recordObservedBatch(batch, observedAt: batch.createdAt)
        let priceFile = dir.appendingPathComponent("cfg/prices.toml")
        try Data("""
            [models."gpt-4o-mini"]
            input = 40
            output = 90
            batch_input = 1
            batch_output = 2
            """.utf8).write(to: priceFile)

        func impact(_ table: PriceTable) throws -> MicroDollars {
            try #require(CostEstimate.delta(usage, model: "gpt-4o-mini", from: .realtime, to: .batch, prices: table))
        }
        let shipped = try impact(try PriceTable.shippedDefault())
        let configured = try impact(try PriceTable.loadingUserFile(at: priceFile.path))
        #expect(shipped != configured)

        try config("[prices]\nfile = \"\(priceFile.path)\"\n")
        let raised = try batchtop(["reclassify", "--workload", "chat-support", "--lane", "batch", "--reason", "cheaper"])
        #expect(raised.status == 0, "\(raised.err)")
        #expect(raised.out.contains("estimated daily cost impact \(configured)"), "\(raised.out)")
        let list = try batchtop(["decisions", "list"]).out
        #expect(list.contains("daily cost impact \(configured)"), "\(list)")
        #expect(try batchtop(["decisions", "list", "--json"]).out.contains(#""daily_cost_micros" : \#(configured.value)"#))

        // A broken price file is a configuration error, said with the file, not a silent fallback.
        try Data("[models.\"gpt-4o-mini\"]\nimput = 1\n".utf8).write(to: priceFile)
        let broken = try batchtop(["reclassify", "--workload", "chat-support", "--lane", "batch", "--reason", "again"])
        #expect(broken.status == 78 && broken.err.contains(priceFile.path), "\(broken.err)")
    }
}
