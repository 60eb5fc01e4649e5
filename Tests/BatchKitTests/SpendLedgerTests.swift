import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// The ledger: batch jobs priced from usage or output files, real-time executions, idempotent rebuilds.
@Suite final class SpendLedgerTests {
    let dir: URL
    let store: BatchStore
    let prices: PriceTable
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("spend-ledger")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        prices = try PriceTable.shippedDefault()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func sync(_ changed: [String] = [], timeZone: TimeZone = CalendarDay.utc) async throws -> SpendSyncReport {
        try await SpendSync(store: store, prices: prices, timeZone: timeZone, clock: clock).run(changedJobIDs: changed)
    }

    func allRows() throws -> [SpendLedgerRow] {
        try store.spendRows(from: CalendarDay(year: 2000, month: 1, day: 1), to: CalendarDay(year: 2100, month: 1, day: 1))
    }

    /// One output line in the chat shape, as the provider writes it.
    static func outputLine(_ n: Int, model: String, input: Int, cached: Int, output: Int) -> String {
        #"{"id":"batch_req_\#(n)","custom_id":"r\#(n)","response":{"status_code":200,"body":{"model":"\#(model)","usage":{"prompt_tokens":\#(input),"completion_tokens":\#(output),"prompt_tokens_details":{"cached_tokens":\#(cached)}}}},"error":null}"#
    }

    func seedJobs() throws -> [Batch] {
        var withUsage = BatchFixtures.batch(1, status: .completed, completed: 10, workload: "alpha", model: "gpt-4o-mini")
        withUsage.usage = TokenUsage(inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000)
        let withoutUsage = BatchFixtures.batch(2, status: .completed, completed: 2, workload: "beta", model: "gpt-4.1-mini",
                                               outputFileID: "file-out2")
        let running = BatchFixtures.batch(3, status: .inProgress, workload: "alpha")
        var unknown = BatchFixtures.batch(4, status: .expired, workload: "gamma", model: "acme-ft-1")
        unknown.usage = TokenUsage(inputTokens: 500, outputTokens: 100)
        let batches = [withUsage, withoutUsage, running, unknown]
        try store.applyCycle(batches, observedAt: 1_767_100_000)
        return batches
    }

    func downloadOutput(job: String, fileID: String, lines: [String]) throws {
        let path = dir.appendingPathComponent("\(job).jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
        try store.recordFile(JobFileRecord(jobID: job, kind: .output, fileID: fileID, localPath: path.path, bytes: 1,
                                           downloadedAt: 1_767_100_000, status: .downloaded, attempts: 1))
    }

    @Test func pagesPriceEveryJobOnceWhateverThePageSize() async throws {
        // Equal created_at on purpose: pages must break ties by id, or a page boundary would skip or repeat jobs.
        var batches: [Batch] = []
        for n in 1...23 {
            var b = BatchFixtures.batch(n, status: .completed, createdAt: 1_767_000_000 + Int64(n / 4), total: 1, completed: 1)
            b.completedAt = 1_767_050_000
            b.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0)
            batches.append(b)
        }
        try store.applyCycle(batches, observedAt: 1_767_060_000)
        var paged = SpendSync(store: store, prices: prices, clock: clock)
        paged.pageSize = 5
        let report = try await paged.run(changedJobIDs: [batches[3].id, batches[17].id])
        #expect(report.jobsPriced == 23, "every job once, the changed ones included once")
        #expect(Set(try allRows().map(\.sourceKey)) == Set(batches.map(\.id)))
        // gpt-4o-mini batch input: $0.075 per 1M tokens, per job.
        #expect(try allRows().reduce(MicroDollars.zero) { $0 + $1.cost } == MicroDollars(23 * 75_000))
        #expect(try await paged.run().jobsPriced == 0)
        // A page size of zero (or less) means one job per page, never an endless loop.
        paged.pageSize = 0
        try store.applyCycle([BatchFixtures.batch(99, status: .completed, total: 1, completed: 1)], observedAt: 1_767_060_001)
        #expect(try await paged.run().jobsPriced == 1)
    }

    @Test func repeatedSyncsNeverCountTwice() async throws {
        let batches = try seedJobs()
        try downloadOutput(job: batches[1].id, fileID: "file-out2", lines: [
            Self.outputLine(1, model: "gpt-4.1-mini-2025-04-14", input: 2_000, cached: 0, output: 500),
            "{not json",
            Self.outputLine(2, model: "gpt-4.1-mini-2025-04-14", input: 1_000, cached: 0, output: 250),
        ])
        let first = try await sync()
        #expect(first.jobsPriced == 3, "three terminal jobs, the running one waits")
        let rows = try allRows()
        // Hand-computed: gpt-4o-mini batch rates $0.075 in / $0.30 out per 1M -> $0.375 for 1M + 1M.
        #expect(rows.first { $0.sourceKey == batches[0].id }?.cost == MicroDollars(375_000))
        // From the output file: 3,000 input at $0.20/1M + 750 output at $0.80/1M = 600 + 600 micro-dollars.
        let fromFile = try #require(rows.first { $0.sourceKey == batches[1].id })
        #expect(fromFile.usage == TokenUsage(inputTokens: 3_000, outputTokens: 750))
        #expect(fromFile.cost == MicroDollars(1_200))
        #expect(fromFile.workload == "beta")
        // Unknown model: tokens counted as unpriced, cost never silently $0 in the report.
        let unpriced = try #require(rows.first { $0.sourceKey == batches[3].id })
        #expect(unpriced.unpricedTokens == 600)
        #expect(unpriced.day == CalendarDay(unixSeconds: batches[3].expiredAt!, in: CalendarDay.utc))

        // Again, and again with every job named as changed: identical ledger.
        let second = try await sync()
        #expect(second.jobsPriced == 0)
        #expect(try allRows() == rows)
        _ = try await sync(batches.map(\.id))
        #expect(try allRows() == rows)
        #expect(try store.spendSourceCounts(.batchJob) == ["usage": 2, "output_file": 1])

        // The running job completes: only it is added.
        var done = batches[2]
        done.status = .completed; done.completedAt = 1_767_050_000
        done.usage = TokenUsage(inputTokens: 10, outputTokens: 10)
        try store.applyCycle([done], observedAt: 1_767_100_100)
        #expect(try await sync().jobsPriced == 1)
        #expect(try allRows().count == rows.count + 1)
    }

    @Test func aJobWaitsForItsOutputFileThenCountsOnce() async throws {
        let batch = BatchFixtures.batch(7, status: .completed, completed: 1, workload: "w", model: "gpt-4o-mini", outputFileID: "file-o7")
        try store.applyCycle([batch], observedAt: 1_767_100_000)
        _ = try await sync()
        #expect(try store.spendSourceCounts(.batchJob) == ["awaiting_file": 1])
        #expect(try allRows().isEmpty)
        #expect(try await sync().jobsPriced == 0, "still no file: not rebuilt for nothing")
        try downloadOutput(job: batch.id, fileID: "file-o7", lines: [Self.outputLine(1, model: "gpt-4o-mini", input: 100, cached: 0, output: 10)])
        #expect(try await sync().jobsPriced == 1)
        #expect(try await sync().jobsPriced == 0)
        #expect(try allRows().map(\.usage) == [TokenUsage(inputTokens: 100, outputTokens: 10)])
    }

    @Test func jobDaysFollowTheConfiguredTimeZone() async throws {
        // Completed at 2026-01-01T03:00Z: still Dec 31 in New York.
        var batch = BatchFixtures.batch(8, status: .completed, completed: 1, model: "gpt-4o-mini")
        batch.completedAt = 1_767_236_400
        batch.usage = TokenUsage(inputTokens: 1, outputTokens: 1)
        try store.applyCycle([batch], observedAt: 1_767_240_000)
        _ = try await sync(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        #expect(try allRows().map(\.day) == [CalendarDay(year: 2025, month: 12, day: 31)])
    }

    @Test func realtimeExecutionsAreRecordedOncePerID() throws {
        let run = RealtimeExecution(id: "req_1", model: "gpt-5-mini-2025-08-07", workload: "chat",
                                    usage: TokenUsage(inputTokens: 1_000_000, cachedInputTokens: 200_000, outputTokens: 100_000),
                                    finishedAt: 1_767_225_600)
        try SpendSync.recordRealtime(run, store: store, prices: prices, at: 1)
        try SpendSync.recordRealtime(run, store: store, prices: prices, at: 2)
        var rows = try allRows()
        #expect(rows.count == 1)
        // gpt-5-mini real-time: 800k x $0.25 + 200k x $0.025 + 100k x $2.00 per 1M = 0.2 + 0.005 + 0.2 dollars.
        #expect(rows.first?.cost == MicroDollars(405_000))
        #expect(rows.first?.lane == .realtime)
        #expect(rows.first?.workload == "chat")
        var corrected = run
        corrected.usage = TokenUsage(inputTokens: 10, outputTokens: 0)
        try SpendSync.recordRealtime(corrected, store: store, prices: prices, at: 3)
        try SpendSync.recordRealtime(RealtimeExecution(id: "req_2", model: "gpt-5-mini", usage: TokenUsage(inputTokens: 5), finishedAt: 1_767_225_601),
                                     store: store, prices: prices, at: 4)
        rows = try allRows()
        #expect(rows.map(\.usage.inputTokens).sorted() == [5, 10])
    }

    @Test func realtimeLaneSubtractsOwnExecutionsFromOrganisationUsage() {
        let day = CalendarDay(year: 2026, month: 1, day: 1)
        let org = SpendLedgerRow.priced(source: .orgUsage, sourceKey: day.description, day: day, lane: .realtime, model: "gpt-5-mini-2025-08-07",
                                        workload: nil, usage: TokenUsage(inputTokens: 3_000, outputTokens: 300), requests: 3, prices: prices)
        let orgBatch = SpendLedgerRow.priced(source: .orgUsage, sourceKey: day.description, day: day, lane: .batch, model: "gpt-4o-mini",
                                             workload: nil, usage: TokenUsage(inputTokens: 9_000), requests: 9, prices: prices)
        let exec = SpendLedgerRow.priced(source: .realtimeExec, sourceKey: "r1", day: day, lane: .realtime, model: "gpt-5-mini",
                                         workload: "chat", usage: TokenUsage(inputTokens: 1_000, outputTokens: 100), requests: 1, prices: prices)
        let rows = SpendAttribution.laneRows([org, orgBatch, exec])
        #expect(rows.count == 2, "the batch lane's org usage is never added on top of jobs")
        let outside = rows.first { $0.workload == SpendAttribution.outsideBatchtop }
        #expect(outside?.usage == TokenUsage(inputTokens: 2_000, outputTokens: 200))
        #expect(rows.reduce(MicroDollars.zero) { $0 + $1.cost } == org.cost)
    }

    @Test func reportAndOverviewAgreeWithTheLedger() async throws {
        _ = try seedJobs()
        _ = try await sync()
        let day = CalendarDay(unixSeconds: 1_767_000_060, in: CalendarDay.utc)
        let budgets = [Budget(lane: .batch, daily: MicroDollars(300_000), monthly: MicroDollars(10_000_000))]
        let report = try SpendReport.load(store: store, settings: SpendSettings(budgets: budgets), prices: prices,
                                          from: day.adding(days: -7), to: day.adding(days: 1), today: day, grouping: .workload)
        let ledgerTotal = try allRows().reduce(MicroDollars.zero) { $0 + $1.cost }
        let todayTotal = try allRows().filter { $0.day == day }.reduce(MicroDollars.zero) { $0 + $1.cost }
        #expect(report.total == ledgerTotal)
        #expect(report.rows.map(\.key).contains("alpha"))
        #expect(report.level == .critical, "0.375 spent today against a 0.30 daily budget")
        #expect(report.savings.saved > .zero)
        #expect(report.unpricedModels == ["acme-ft-1"])
        let overview = try SpendOverview.load(store: store, settings: SpendSettings(budgets: budgets), prices: prices,
                                              now: day.startUnixSeconds()! + 3_600)
        #expect(overview.today.first { $0.lane == .batch }?.spent == todayTotal)
        #expect(overview.today.first { $0.lane == .batch }?.dailyBudget == MicroDollars(300_000))
        #expect(overview.daily.count == 30)
        #expect(overview.daily.last?.day == day)
        #expect(overview.topWorkloads.first?.name == "alpha")
        #expect(overview.savedToday == report.savings.saved)
    }
}
