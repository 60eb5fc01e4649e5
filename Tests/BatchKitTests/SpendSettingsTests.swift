import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `[spend]`, `[budgets.<lane>]` and `[prices]` in config.toml.
@Suite struct SpendSettingsTests {
    func load(_ text: String) throws -> BatchtopConfig {
        let dir = try BatchFixtures.temporaryDirectory("spend-settings")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("config.toml")
        try Data(text.utf8).write(to: file)
        return try ConfigLoader(environment: [:], home: dir, workingDirectory: dir).load(configFlag: file.path)
    }

    @Test func budgetsTimeZoneAndPricesAreRead() throws {
        let config = try load("""
            [spend]
            time_zone = "Europe/Berlin"
            [budgets.batch]
            daily = "12.50"
            monthly = 300
            warn_pct = 70
            [budgets.realtime]
            daily = 2.25
            critical_pct = 120
            [prices]
            file = "prices.toml"
            """)
        #expect(config.spend.timeZone.identifier == "Europe/Berlin")
        #expect(config.spend.budget(for: .batch) == Budget(lane: .batch, daily: MicroDollars(12_500_000), monthly: MicroDollars(300_000_000), warningPercent: 70))
        #expect(config.spend.budget(for: .realtime) == Budget(lane: .realtime, daily: MicroDollars(2_250_000), criticalPercent: 120))
        #expect(config.spend.priceFile?.lastPathComponent == "prices.toml")
        #expect(config.warnings.isEmpty, "\(config.warnings)")
    }

    @Test func defaultsAreUTCAndNoBudgets() throws {
        let config = try load("")
        #expect(config.spend.timeZone.secondsFromGMT() == 0)
        #expect(config.spend.budgets.isEmpty)
        #expect(config.adminClientOptions() == nil)
    }

    @Test func unknownKeysWarn() throws {
        let config = try load("[budgets.batch]\ndaily = 1\nweekly = 5\n[budgets.flex]\ndaily = 1\n")
        #expect(config.warnings.count == 2)
        #expect(config.spend.budgets.count == 1)
    }

    @Test(arguments: [
        "[budgets.batch]\ndaily = -1\n",
        "[budgets.batch]\ndaily = \"1.2345678\"\n",
        "[budgets.batch]\nmonthly = true\n",
        "[budgets.batch]\nwarn_pct = 0\n",
        "[spend]\ntime_zone = \"Nowhere/Land\"\n",
    ])
    func badValuesAreErrorsNamingTheKey(text: String) throws {
        #expect(throws: ConfigError.self) { try load(text) }
    }
}
