import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `batchtop spend` as a real process: budgets from config.toml, `--check` exit codes, JSON and CSV.
@Suite final class SpendCommandTests {
    let dir: URL
    let db: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("spend-command")
        db = dir.appendingPathComponent("batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func batchtop(_ arguments: [String]) throws -> BatchtopProcess.Run {
        var env: [String: String?] = [
            "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
            "XDG_CONFIG_HOME": dir.appendingPathComponent("xdg-config").path,
        ]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("OPENAI_") { env[key] = .some(nil) }
        return try BatchtopProcess.run(arguments, environment: env)
    }

    /// A ledger with `micros` of batch spend today (UTC, as the command computes it) on gpt-4o-mini.
    func seed(batchSpendToday micros: Int64) throws {
        let store = try BatchStore(url: db)
        let today = CalendarDay(unixSeconds: SystemClock().unixNow())
        let row = SpendLedgerRow(source: .batchJob, sourceKey: "batch_1", day: today, lane: .batch, model: "gpt-4o-mini",
                                 workload: "=cmd|evil", usage: TokenUsage(inputTokens: 1_000, outputTokens: 10), requests: 1,
                                 cost: MicroDollars(micros), unpricedTokens: 0)
        try store.replaceSpend([SpendEntry(source: .batchJob, key: "batch_1", basis: "usage", rows: [row])], at: 1)
    }

    func config(_ text: String) throws -> String {
        let url = dir.appendingPathComponent("config-\(UUID().uuidString).toml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let budgets = """
        [budgets.batch]
        daily = "1.00"
        monthly = 100
        warn_pct = 80
        critical_pct = 100
        """

    @Test(arguments: [
        (Int64(500_000), budgets, Int32(0)),
        (Int64(850_000), budgets, Int32(1)),
        (Int64(1_000_000), budgets, Int32(2)),
        (Int64(5_000_000), "", Int32(0)),
        (Int64(1), "[budgets.realtime]\ndaily = 0\n", Int32(0)),
        (Int64(1), "[budgets.batch]\ndaily = 0\n", Int32(2)),
    ])
    func checkExitCodes(spent: Int64, configText: String, expected: Int32) throws {
        try seed(batchSpendToday: spent)
        let run = try batchtop(["spend", "--check", "--db", db.path, "--config", try config(configText)])
        #expect(run.status == expected, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("total"))
    }

    @Test(arguments: [
        "[budgets.batch]\ndaily = \"lots\"\n",
        "[budgets.batch]\nwarn_pct = 90\ncritical_pct = 50\n",
        "[spend]\ntime_zone = \"Mars/Olympus\"\n",
        "[budgets]\nbatch = 3\n",
    ])
    func badConfigIsAnErrorNotABudgetLevel(configText: String) throws {
        try seed(batchSpendToday: 1)
        let run = try batchtop(["spend", "--check", "--db", db.path, "--config", try config(configText)])
        #expect(run.status == 3, "\(run.stderr)")
        #expect(!run.stderr.isEmpty)
    }

    @Test func missingDatabaseAndBadFlagsAreErrors() throws {
        let missing = try batchtop(["spend", "--check", "--db", dir.appendingPathComponent("nope.sqlite").path])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("no database"))
        #expect(try batchtop(["spend", "--by", "colour", "--db", db.path]).status == 64)
        #expect(try batchtop(["spend", "--from", "2026-02-30", "--db", db.path]).status == 64)
        #expect(try batchtop(["spend", "--since", "7d", "--from", "2026-01-01", "--db", db.path]).status == 64)
    }

    @Test func jsonAndCSVAreContracts() throws {
        try seed(batchSpendToday: 850_000)
        let cfg = try config(Self.budgets)
        let json = try batchtop(["spend", "--json", "--by", "workload", "--db", db.path, "--config", cfg])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "batchtop.spend/v1")
        #expect(object["level"] as? String == "warning")
        #expect(object["total_micros"] as? Int == 850_000)
        #expect(object["provider_time_zone"] as? String == "UTC")
        let csv = try batchtop(["spend", "--csv", "--by", "workload", "--db", db.path, "--config", cfg])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("lane,workload,requests") == true)
        #expect(lines.count == 2)
        #expect(lines.last?.contains("\"'=cmd|evil\"") == true, "formula defused")
        #expect(lines.last?.contains("0.850000") == true)
    }
}
