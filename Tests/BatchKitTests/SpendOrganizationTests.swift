import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// Organisation usage and costs against the emulator's demo scenario, and the acceptance check: spend over
/// the last 7 days agrees with the emulator's own billed totals to the cent, per lane and per model.
@Suite(.serialized) final class SpendOrganizationTests {
    /// 2026-01-01T15:00Z: a demo "today" with real-time traffic in it.
    static let start: Int64 = 1_767_225_600 + 15 * 3_600

    let dir: URL

    init() throws { dir = try BatchFixtures.temporaryDirectory("spend-org") }
    deinit { try? FileManager.default.removeItem(at: dir) }

    static func demo() async throws -> EmulatorHarness {
        try await EmulatorHarness.start(scenario: .demo) { $0.startTime = start }
    }

    static func client(_ harness: EmulatorHarness, key: String) -> OpenAIClient {
        OpenAIClient(options: OpenAIClientOptions(baseURL: harness.baseURL, apiKey: Secret(key), timeoutSeconds: 30),
                     sleeper: RetrySleeper { _ in }, clock: harness.clock)
    }

    @Test func usageIsReadAcrossPagesWithEitherArrayEncoding() async throws {
        let harness = try await Self.demo()
        let admin = Self.client(harness, key: harness.adminKey)
        let from = Self.start - 9 * 86_400
        let endpoint = "GET /v1/organization/usage/completions"
        let before = harness.counters()[endpoint]
        let whole = try await admin.completionsUsage(start: from, end: nil, pageLimit: 31, arrayEncoding: .brackets)
        let afterWhole = harness.counters()[endpoint]
        let paged = try await admin.completionsUsage(start: from, end: nil, pageLimit: 2, arrayEncoding: .brackets)
        let afterPaged = harness.counters()[endpoint]
        let repeated = try await admin.completionsUsage(start: from, end: nil, pageLimit: 3, arrayEncoding: .repeated)
        await harness.stop()

        #expect(afterWhole - before == 1)
        #expect(afterPaged - afterWhole == 5, "10 daily buckets, 2 per page")
        func key(_ r: OrganizationUsageResult) -> String { "\(r.startTime) \(r.batch.map(String.init) ?? "-") \(r.model ?? "-")" }
        #expect(!whole.isEmpty)
        #expect(paged.map(key).sorted() == whole.map(key).sorted())
        #expect(repeated.map(key).sorted() == whole.map(key).sorted())
        #expect(Set(paged.map(\.usage.inputTokens)) == Set(whole.map(\.usage.inputTokens)))
        // Grouping honoured with both encodings: every result names its model and lane.
        #expect(repeated.allSatisfy { $0.model != nil && $0.batch != nil })
        #expect(whole.allSatisfy { $0.model != nil && $0.batch != nil })
        #expect(Set(whole.compactMap(\.batch)) == [true, false])
    }

    @Test func reportsRideTheClientsRetries() async throws {
        let harness = try await Self.demo()
        let admin = Self.client(harness, key: harness.adminKey)
        let from = Self.start - 2 * 86_400
        let clean = try await admin.completionsUsage(start: from, end: nil)
        harness.faults.add(FaultRule(.status(429, retryAfter: 1), endpoint: "GET /v1/organization/usage/completions"))
        harness.faults.add(FaultRule(.status(503), endpoint: "GET /v1/organization/costs"))
        let endpoint = "GET /v1/organization/usage/completions"
        let before = harness.counters()[endpoint]
        let retried = try await admin.completionsUsage(start: from, end: nil)
        let calls = harness.counters()[endpoint] - before
        let costs = try await admin.dailyCosts(start: from, end: nil)
        await harness.stop()
        #expect(calls == 2, "one 429, one retry")
        #expect(retried == clean)
        #expect(!costs.isEmpty)
    }

    @Test func costsPagesAndEncodingsAgree() async throws {
        let harness = try await Self.demo()
        let admin = Self.client(harness, key: harness.adminKey)
        let from = Self.start - 9 * 86_400
        let whole = try await admin.dailyCosts(start: from, end: nil, pageLimit: 180, arrayEncoding: .brackets)
        let paged = try await admin.dailyCosts(start: from, end: nil, pageLimit: 4, arrayEncoding: .repeated)
        let projectKeyRefused: Bool
        do {
            _ = try await Self.client(harness, key: harness.projectKey).dailyCosts(start: from, end: nil)
            projectKeyRefused = false
        } catch let error as BatchKit.APIError {
            projectKeyRefused = error.statusCode == 401 || error.statusCode == 403
        }
        await harness.stop()
        #expect(projectKeyRefused, "the organisation endpoints need the admin key")
        func key(_ r: OrganizationCostResult) -> String { "\(r.startTime) \(r.lineItem ?? "-") \(r.amount.value)" }
        #expect(!whole.isEmpty)
        #expect(whole.allSatisfy { $0.lineItem != nil })
        #expect(paged.map(key).sorted() == whole.map(key).sorted())
    }

    /// Fills a store from the demo with a real sync cycle, then refreshes the ledger (jobs + organisation).
    func syncedDemo(_ harness: EmulatorHarness) async throws -> (BatchStore, SpendSync) {
        let store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        let project = Self.client(harness, key: harness.projectKey)
        let cycle = SyncCycle(api: project, store: store, clock: harness.clock,
                              claimant: LeaseClaimant(holderID: "test", pid: 1, host: "test"),
                              options: SyncOptions(dataDirectory: dir.appendingPathComponent("data")))
        _ = try await cycle.runOnce()
        let spend = SpendSync(store: store, prices: try PriceTable.shippedDefault(), organization: Self.client(harness, key: harness.adminKey),
                              clock: harness.clock)
        let report = try await spend.run()
        #expect(report.organizationError == nil)
        #expect(report.jobsPriced > 20)
        return (store, spend)
    }

    @Test func aRefusedAdminCallIsReportedAndJobsAreStillPriced() async throws {
        let harness = try await Self.demo()
        let store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        let project = Self.client(harness, key: harness.projectKey)
        let cycle = try await SyncCycle(api: project, store: store, clock: harness.clock,
                                        claimant: LeaseClaimant(holderID: "test", pid: 1, host: "test")).runOnce()
        // The project key where the admin key belongs: the provider refuses, the job part stands.
        let spend = SpendSync(store: store, prices: try PriceTable.shippedDefault(), organization: project, clock: harness.clock)
        let report = try await spend.run(after: cycle)
        await harness.stop()
        #expect(report.jobsPriced > 20)
        #expect(report.organizationError != nil)
        #expect(report.organizationError?.contains(harness.projectKey) == false, "keys never appear in errors")
        #expect(try store.organizationDays(from: CalendarDay(year: 2025, month: 1, day: 1), to: CalendarDay(year: 2027, month: 1, day: 1)).isEmpty)
    }

    @Test func sevenDaySpendMatchesTheEmulatorsBilledTotalsPerLaneAndModel() async throws {
        let harness = try await Self.demo()
        let (store, spend) = try await syncedDemo(harness)
        let today = CalendarDay(unixSeconds: Self.start)
        let from = today.adding(days: -7)
        // Twice: the second run must not change a figure.
        let first = try SpendReport.load(store: store, settings: SpendSettings(), prices: spend.prices, from: from, to: today,
                                         today: today, grouping: .model)
        _ = try await spend.run()
        let report = try SpendReport.load(store: store, settings: SpendSettings(), prices: spend.prices, from: from, to: today,
                                          today: today, grouping: .model)
        // The emulator's own totals, through its costs API (line items name model and lane).
        let billed = try await Self.client(harness, key: harness.adminKey)
            .dailyCosts(start: from.startUnixSeconds()!, end: nil, pageLimit: 3, arrayEncoding: .brackets)
        await harness.stop()

        #expect(report.rows == first.rows)
        var theirs: [String: Int64] = [:]
        for item in billed {
            let parsed = try #require(ProviderCostItem(day: today, lineItem: item.lineItem ?? "", amount: item.amount).parsed)
            theirs["\(parsed.lane) \(parsed.model)", default: 0] += item.amount.value
        }
        var ours: [String: Int64] = [:]
        for row in report.rows where row.cost.value > 0 { ours["\(row.lane) \(row.key)", default: 0] += row.cost.value }
        #expect(Set(ours.keys) == Set(theirs.keys))
        #expect(ours.keys.count >= 6, "\(ours.keys.sorted())")
        for key in Set(ours.keys).union(theirs.keys) {
            let diff = (ours[key] ?? 0) - (theirs[key] ?? 0)
            #expect(abs(diff) < 10_000, "\(key): ours \(ours[key] ?? 0) vs emulator \(theirs[key] ?? 0) micro-dollars")
        }
        for lane in Lane.allCases {
            let billedLane = theirs.filter { $0.key.hasPrefix("\(lane) ") }.values.reduce(0, +)
            let oursLane = report.lanes.first { $0.lane == lane }?.cost.value ?? -1
            #expect(abs(oursLane - billedLane) < 10_000, "\(lane): ours \(oursLane) vs emulator \(billedLane)")
            #expect(billedLane > 0)
        }
        #expect(report.unpricedModels.isEmpty)
        let worst = Set(ours.keys).union(theirs.keys).map { abs((ours[$0] ?? 0) - (theirs[$0] ?? 0)) }.max() ?? 0
        print("spend acceptance (demo, \(from)..\(today)): \(ours.count) lane/model pairs, lanes \(report.lanes.map { "\($0.lane) \($0.cost.formatted)" }), largest difference \(worst) micro-dollars")
    }

    @Test func reconciliationShowsBilledCostsTheUsageDoesNotExplain() async throws {
        let harness = try await Self.demo()
        let (store, spend) = try await syncedDemo(harness)
        let today = CalendarDay(unixSeconds: Self.start)
        let billed = try await Self.client(harness, key: harness.adminKey).dailyCosts(start: today.adding(days: -7).startUnixSeconds()!, end: nil)
        await harness.stop()
        let report = try SpendReport.load(store: store, settings: SpendSettings(), prices: spend.prices, from: today.adding(days: -7),
                                          to: today, today: today, grouping: .lane)
        #expect(report.reconciliation.count == 8)
        // usage/completions has no embeddings: their billed cost is what stays unattributed, day by day.
        var embeddings: [CalendarDay: Int64] = [:]
        var total: [CalendarDay: Int64] = [:]
        for item in billed {
            let day = CalendarDay(unixSeconds: item.startTime)
            total[day, default: 0] += item.amount.value
            if item.lineItem?.hasPrefix("text-embedding") == true { embeddings[day, default: 0] += item.amount.value }
        }
        for day in report.reconciliation {
            #expect(day.providerCost.value == total[day.day] ?? 0)
            // Rounding: one half micro-dollar per (day, project, line item) on the emulator's side.
            #expect(abs(day.unattributed.value - (embeddings[day.day] ?? 0)) <= 20, "\(day.day): \(day.unattributed.value) vs \(embeddings[day.day] ?? 0)")
        }
        #expect(report.unattributed.value > 0)
    }
}

/// `batchtop spend --sync` as a process against a demo emulator running at the real "now" (the command
/// reads the system clock), with the admin key from the environment.
@Suite struct SpendSyncCommandTests {
    @Test func syncFlagRefreshesJobsAndOrganisationUsage() async throws {
        let dir = try BatchFixtures.temporaryDirectory("spend-sync-command")
        defer { try? FileManager.default.removeItem(at: dir) }
        let now = Int64(Date().timeIntervalSince1970)
        let harness = try await EmulatorHarness.start(scenario: .demo) { $0.startTime = now }
        let db = dir.appendingPathComponent("batchtop.sqlite")
        let store = try BatchStore(url: db)
        let project = OpenAIClient(options: OpenAIClientOptions(baseURL: harness.baseURL, apiKey: Secret(harness.projectKey)),
                                   sleeper: RetrySleeper { _ in }, clock: harness.clock)
        _ = try await SyncCycle(api: project, store: store, clock: harness.clock,
                                claimant: LeaseClaimant(holderID: "t", pid: 1, host: "t")).runOnce()
        let run = try BatchtopProcess.run(
            ["spend", "--sync", "--json", "--db", db.path],
            environment: ["OPENAI_BASE_URL": harness.baseURL.absoluteString, "OPENAI_ADMIN_KEY": harness.adminKey,
                          "OPENAI_API_KEY": harness.projectKey, "XDG_CONFIG_HOME": dir.path, "BATCHTOP_CONFIG_DIR": nil])
        await harness.stop()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("ledger refreshed"))
        #expect(!run.stderr.contains("failed"), "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let lanes = try #require(object["lanes"] as? [[String: Any]])
        for lane in lanes { #expect((lane["cost_micros"] as? Int ?? 0) > 0, "\(lane)") }
        let days = try #require(object["reconciliation"] as? [[String: Any]])
        #expect(days.count == 8)
        #expect((object["unattributed_micros"] as? Int ?? 0) > 0, "embeddings are billed but not in completions usage")
    }
}
