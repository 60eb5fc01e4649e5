import Foundation
import BatchEmulator
import GRDB
import Synchronization
import Testing
import TestSupport
@testable import BatchKit

/// The sync cycle when the provider misbehaves: transient and permanent 404s, a 429 with a long
/// Retry-After, an endless listing, downloads that keep failing.
@Suite final class SyncFaultTests {
    let dir: URL
    let store: BatchStore
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
    let me = LeaseClaimant(holderID: "me", pid: 1, host: "test")
    static let notFound: @Sendable (any Error) -> Bool = { ($0 as? FakeAPIError)?.status == 404 }

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("sync-faults")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// 150 batches, batch 1 (the oldest) in progress and the rest terminal, so a steady cycle lists one
    /// page and fetches batch 1 with a GET.
    func world() -> FakeBatchAPI {
        FakeBatchAPI(batches: (1...150).map { BatchFixtures.batch($0, status: $0 == 1 ? .inProgress : .completed, completed: 1) })
    }

    func cycle(_ api: any BatchAPI, _ options: SyncOptions = SyncOptions(isNotFound: SyncFaultTests.notFound)) -> SyncCycle {
        SyncCycle(api: api, store: store, clock: clock, claimant: me, options: options)
    }

    func missingSince(_ id: String) throws -> Int64? {
        let summary = try store.jobSummaries().first { $0.id == id }
        let detail = try store.jobDetail(id: id)?.job.missingSince
        #expect(summary?.missingSince == detail, "the list and the detail agree")
        return detail
    }

    func jobsJSON() throws -> String {
        var out = Data()
        try store.writeJobsJSON { out.append($0) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: 404s

    @Test func aTransient404NeverHidesAJob() async throws {
        let api = world()
        _ = try await cycle(api).runOnce()
        let id = "batch_00000001"
        api.failNext(1, .retrieve, with: FakeAPIError(status: 404, message: "No batch found"))
        clock.advance(by: 5)
        let blip = try await cycle(api).runOnce()
        #expect(blip.notFound == [id])
        #expect(blip.missing.isEmpty)
        #expect(try missingSince(id) == nil)
        #expect(blip.changeLines.contains { $0.hasPrefix("not found \(id)") })

        // The provider knows it again: it keeps being fetched and updated every cycle.
        for step in 2...4 {
            api.update(id) { $0.requestCounts.completed = step }
            clock.advance(by: 400)
            let report = try await cycle(api).runOnce()
            #expect(report.retrievals == 1)
            #expect(report.changes.progressChanges.map(\.jobID) == [id])
            #expect(try missingSince(id) == nil)
        }
        #expect(try store.jobDetail(id: id)?.job.batch.requestCounts.completed == 4)
        #expect(try jobsJSON().contains(#""missing_since":null"#))
    }

    @Test func aStreakOf404sIsInterruptedByOneSuccess() async throws {
        let api = world()
        _ = try await cycle(api).runOnce()
        let id = "batch_00000001"
        // Two 404s, a success, two more 404s over 10 minutes: never three in a row, never missing.
        for fails in [true, true, false, true, true] {
            if fails { api.failNext(1, .retrieve, with: FakeAPIError(status: 404, message: "No batch found")) }
            clock.advance(by: 150)
            _ = try await cycle(api).runOnce()
            #expect(try missingSince(id) == nil)
        }
    }

    @Test func aPermanent404ShowsMissingSinceItBeganAndIsStillRechecked() async throws {
        let api = world()
        _ = try await cycle(api).runOnce()
        let id = "batch_00000001"
        // The provider forgets batch 1 (renamed away: neither listed under its id nor found).
        api.update(id) { $0.id = "batch_elsewhere"; $0.createdAt = 0 }
        clock.advance(by: 5)
        let began = clock.unixNow()
        var reports: [SyncReport] = []
        // 404s at +0, +120, +240 (three, but under 5 minutes), then +360: missing from the fourth.
        for _ in 0..<4 {
            reports.append(try await cycle(api).runOnce())
            clock.advance(by: 120)
        }
        #expect(reports.map(\.notFound) == Array(repeating: [id], count: 4))
        #expect(reports.map(\.missing) == [[], [], [], [id]])
        #expect(reports[3].changeLines.contains { $0.hasPrefix("missing \(id): the provider has answered 404 since") })
        #expect(try missingSince(id) == began)
        #expect(try store.jobSummaries().first { $0.id == id }?.status == .inProgress)
        #expect(try jobsJSON().contains(#""id":"batch_00000001","status":"in_progress""#))
        #expect(try jobsJSON().contains(#""missing_since":\#(began)"#))

        // From now on it is fetched only every 10 minutes, and it stays missing since the same time.
        api.resetCalls()
        _ = try await cycle(api).runOnce()
        clock.advance(by: 300)
        _ = try await cycle(api).runOnce()
        #expect(api.calls(.retrieve) == 0)
        clock.advance(by: 300)
        let recheck = try await cycle(api).runOnce()
        #expect(api.calls(.retrieve) == 1)
        #expect(recheck.notFound == [id] && recheck.missing.isEmpty)
        #expect(try missingSince(id) == began)

        // It reappears: the next slow re-check finds it, updates it and it is no longer missing.
        api.update("batch_elsewhere") { $0.id = id; $0.status = .completed; $0.requestCounts.completed = 10 }
        clock.advance(by: 601)
        let back = try await cycle(api).runOnce()
        #expect(back.changes.statusChanges.map(\.jobID) == [id])
        #expect(try missingSince(id) == nil)
        #expect(try store.jobDetail(id: id)?.job.batch.status == .completed)
    }

    @Test func aJobAnOlderBuildHidAfterOne404IsCheckedAgain() async throws {
        // The database as the previous schema left it: one 404 set missing_since and hid the job for good.
        let url = dir.appendingPathComponent("old.sqlite")
        do {
            let pool = try DatabasePool(path: url.path)
            try StoreSchema.migrator.migrate(pool, upTo: "v5-revisions")
            let old = BatchJSONWriter.encode(BatchFixtures.batch(1, status: .inProgress, completed: 1), metadataJSON: "{}")
            try await pool.write { db in
                try db.execute(sql: """
                    INSERT INTO jobs (id, status, is_terminal, endpoint, input_file_id, completion_window, created_at,
                        total_requests, completed_requests, failed_requests, metadata_json, raw_json, lane, first_seen_at,
                        last_polled_at, missing_since)
                    VALUES ('batch_00000001', 'in_progress', 0, '/v1/chat/completions', 'file-1', '24h', 1767000001,
                        10, 1, 0, '{}', ?, 'batch', 1, 1, 1767000500)
                    """, arguments: [old])
            }
        }
        let migrated = try BatchStore(url: url)
        #expect(try migrated.jobDetail(id: "batch_00000001")?.job.missingSince == nil)
        #expect(try migrated.nonTerminalJobIDs() == ["batch_00000001"])
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .inProgress, completed: 7)])
        _ = try await SyncCycle(api: api, store: migrated, clock: clock, claimant: me, options: SyncOptions(isNotFound: Self.notFound)).runOnce()
        #expect(try migrated.jobDetail(id: "batch_00000001")?.job.batch.requestCounts.completed == 7)
    }

    // MARK: Downloads

    @Test func aDownloadThatKeepsFailingIsRetriedSlowlyNotAbandoned() async throws {
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .completed, createdAt: 1_767_090_000, outputFileID: "file-out1")])
        api.setFileContent(Data("{\"custom_id\":\"a\"}\n".utf8), for: "file-out1")
        api.failNext(6, .download, with: FakeAPIError(status: 500, message: "upstream broke"))
        let c = cycle(api, SyncOptions(dataDirectory: dir, isNotFound: Self.notFound))
        // Five fast tries, one per cycle.
        for attempt in 1...5 {
            _ = try await c.runOnce()
            #expect(api.calls(.download) == attempt)
            clock.advance(by: 5)
        }
        let slow = try #require(try store.jobDetail(id: "batch_00000001")?.files.first)
        #expect(slow.status == .failed && slow.attempts == 5)
        #expect(slow.lastError?.hasPrefix("retrying in 1h: ") == true)
        #expect(slow.nextAttemptAt == clock.unixNow() - 5 + 3_600)
        // Then hourly: nothing in the next 50 minutes, a try after the hour (fails), and one more (works).
        clock.advance(by: 3_000)
        _ = try await c.runOnce()
        #expect(api.calls(.download) == 5)
        clock.advance(by: 600)
        _ = try await c.runOnce()
        #expect(api.calls(.download) == 6)
        clock.advance(by: 3_600)
        let done = try await c.runOnce()
        #expect(api.calls(.download) == 7)
        #expect(done.downloaded.map(\.fileID) == ["file-out1"])
        #expect(try store.jobDetail(id: "batch_00000001")?.files.first?.status == .downloaded)
    }

    @Test func aFileTheProviderNoLongerHasIsGivenUpWithAReason() async throws {
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .completed, createdAt: 1_767_090_000, outputFileID: "file-gone")])
        let c = cycle(api, SyncOptions(dataDirectory: dir, isNotFound: Self.notFound))
        for _ in 1...5 {
            _ = try await c.runOnce()
            clock.advance(by: 3_600)
        }
        #expect(api.calls(.download) == 3)
        let file = try #require(try store.jobDetail(id: "batch_00000001")?.files.first)
        #expect(file.nextAttemptAt == nil)
        #expect(file.lastError?.hasPrefix("gave up after 3 attempts: the provider no longer has the file") == true)
    }
}

/// The sync cycle against a scripted HTTP provider: rate limits and endless listings.
@Suite final class SyncProviderStubTests {
    let dir: URL
    let store: BatchStore
    let me = LeaseClaimant(holderID: "me", pid: 1, host: "test")

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("sync-stub")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Sleeps that record what the store said at the moment the client began each wait.
    final class WitnessSleeper: Sendable {
        let store: BatchStore
        private let seen = Mutex<[(Double, SyncActivity?)]>([])
        init(store: BatchStore) { self.store = store }
        var waits: [(Double, SyncActivity?)] { seen.withLock { $0 } }
        var sleeper: RetrySleeper {
            RetrySleeper { [self] seconds in
                let activity = try? store.freshness().currentActivity
                seen.withLock { $0.append((seconds, activity)) }
            }
        }
    }

    @Test func aLongRetryAfterIsExplainedBeforeTheRetry() async throws {
        let server = try await APIStubServer.start { request, index in
            if index == 0 {
                return .json(429, APIFixtures.errorJSON("Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded"),
                             headers: ["Retry-After": "30"])
            }
            return .json(200, APIFixtures.listJSON([APIFixtures.batchJSON(id: "batch_a")], ids: ["batch_a"], hasMore: false))
        }
        defer { Task { await server.stop() } }
        let witness = WitnessSleeper(store: store)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
        let client = OpenAIClient(
            options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key, retry: RetryPolicy(maxRetries: 2, random: { 0 })),
            sleeper: witness.sleeper, clock: clock)
        let heard = Mutex<[SyncActivity]>([])
        var c = SyncCycle(api: client, store: store, clock: clock, claimant: me, options: .openAI(dataDirectory: nil))
        c.onActivity = { activity in heard.withLock { $0.append(activity) } }

        let report = try await c.runOnce()
        #expect(report.changes.newJobs.map(\.id) == ["batch_a"])
        // The reason was in the sync state (what the header and `jobs` read) when the 30 s wait began.
        let (seconds, said) = try #require(witness.waits.first)
        #expect(seconds == 30)
        let activity = try #require(said)
        #expect(activity.text.hasPrefix("rate limited by the provider (HTTP 429), retrying GET /batches in 30s (Retry-After; retry 1 of 2)"))
        #expect(activity.until == clock.unixNow() + 30)
        #expect(heard.withLock { $0 }.map(\.text) == [activity.text])
        var f = try store.freshness()
        f.lastSuccessAt = clock.unixNow() - 60   // as if the cycle were still running
        #expect(f.summary(now: clock.unixNow()).contains("rate limited by the provider (HTTP 429)"))
        // The cycle's end supersedes it.
        #expect(try store.freshness().currentActivity == nil)
    }

    /// A provider that answers `has_more` forever, each page with 100 new batches and a new cursor.
    static func endless() async throws -> APIStubServer {
        try await APIStubServer.start { request, index in
            let base = index * 100
            let ids = (0..<100).map { String(format: "batch_%08d", 99_999_999 - base - $0) }
            let batches = ids.enumerated().map { i, id in
                APIFixtures.batchJSON(id: id, status: "completed", createdAt: 1_767_000_000 - Int64(base + i))
            }
            return .json(200, APIFixtures.listJSON(batches, ids: ids, hasMore: true))
        }
    }

    @Test func anEndlessListingStopsAtItsPageCapKeepsWhatItReadAndSaysSo() async throws {
        let server = try await Self.endless()
        defer { Task { await server.stop() } }
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
        let client = OpenAIClient(options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key), clock: clock)
        var options = SyncOptions.openAI(dataDirectory: nil)
        options.maxPages = 30
        options.commitEveryBatches = 700
        let heard = Mutex<[String]>([])
        var c = SyncCycle(api: client, store: store, clock: clock, claimant: me, options: options)
        c.onActivity = { activity in heard.withLock { $0.append(activity.text) } }

        await #expect(throws: SyncError.tooManyPages(30, batches: 3_000)) { try await c.runOnce() }
        #expect(server.requests.count == 30)
        // Every page read is kept, yet no full listing is recorded and the cycle counts as failed.
        #expect(try store.jobCount() == 3_000)
        let f = try store.freshness()
        #expect(f.fullListingAt == nil)
        #expect(f.lastSuccessAt == nil)
        #expect(f.consecutiveFailures == 1)
        #expect(f.lastErrorText?.contains("stopped at its cap of 30 pages (3000 batches)") == true)
        let lines = heard.withLock { $0 }
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("listing batches: page 10 of ? (1000 batches, ") == true)
    }

    @Test func anEndlessListingStopsAtItsByteCap() async throws {
        let server = try await Self.endless()
        defer { Task { await server.stop() } }
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
        let client = OpenAIClient(options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key), clock: clock)
        var options = SyncOptions.openAI(dataDirectory: nil)
        options.maxListingBytes = 1_000_000   // a page of 100 batches is about 60 KB
        let c = SyncCycle(api: client, store: store, clock: clock, claimant: me, options: options)
        do {
            _ = try await c.runOnce()
            Issue.record("an endless listing ended")
        } catch let SyncError.listingTooLarge(bytes, pages) {
            #expect(bytes >= 1_000_000 && pages < 30)
            #expect(try store.jobCount() == pages * 100)
        }
        #expect(try store.freshness().fullListingAt == nil)
    }

    @Test func aFullListingInGroupsIsStillMarkedFull() async throws {
        // 12 pages then the end, written in groups of 500: all kept and the listing counts as full.
        let server = try await APIStubServer.start { request, index in
            let base = index * 100
            let ids = (0..<100).map { String(format: "batch_%08d", 99_999_999 - base - $0) }
            let batches = ids.enumerated().map { i, id in
                APIFixtures.batchJSON(id: id, status: "completed", createdAt: 1_767_000_000 - Int64(base + i))
            }
            return .json(200, APIFixtures.listJSON(batches, ids: ids, hasMore: index < 11))
        }
        defer { Task { await server.stop() } }
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
        let client = OpenAIClient(options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key), clock: clock)
        var options = SyncOptions.openAI(dataDirectory: nil)
        options.commitEveryBatches = 500
        let report = try await SyncCycle(api: client, store: store, clock: clock, claimant: me, options: options).runOnce()
        #expect(report.fullListing)
        #expect(report.changes.newJobs.count == 1_200)
        #expect(try store.jobCount() == 1_200)
        #expect(try store.freshness().fullListingAt == clock.unixNow())
    }
}

/// `batchtop jobs` and `batchtop job` as real processes show a missing job as missing.
@Suite final class MissingJobCommandTests {
    let dir: URL

    init() throws { dir = try BatchFixtures.temporaryDirectory("missing-commands") }
    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func jobsAndJobSayMissingSince() async throws {
        let db = dir.appendingPathComponent("batchtop.sqlite")
        let store = try BatchStore(url: db)
        try store.applyCycle([BatchFixtures.batch(1, status: .inProgress), BatchFixtures.batch(2, status: .inProgress)], observedAt: 1_767_000_100)
        try store.applyCycle([], observedAt: 1_767_000_200, notFound: ["batch_00000001"],
                             missingPolicy: MissingPolicy(confirmAfter: 1, minimumSeconds: 0))
        let xdg = dir.appendingPathComponent("xdg").path
        func run(_ args: [String]) async throws -> String {
            let (r, timedOut) = try await BatchtopProcess.runAsync(args + ["--db", db.path], environment: ["XDG_DATA_HOME": xdg], limit: 60)
            #expect(r.status == 0 && !timedOut, "\(args): \(r.stderr)")
            return r.stdout
        }
        let table = try await run(["jobs"]).split(separator: "\n").map(String.init)
        #expect(table.first { $0.contains("batch_00000001") }?.contains("(missing since ") == true)
        #expect(table.first { $0.contains("batch_00000002") }?.contains("missing") == false)
        #expect(try await run(["jobs", "--json"]).contains(#""missing_since":1767000200"#))
        #expect(try await run(["job", "batch_00000001"]).contains("missing since"))
        #expect(try await run(["job", "batch_00000001", "--json"]).contains(#""missing_since" : 1767000200"#))
    }
}

/// `batchtop sync --once` as a real process says a provider's Retry-After when the wait begins.
@Suite final class SyncCommandRetryTests {
    @Test func syncSaysItIsRateLimitedBeforeWaiting() async throws {
        let dir = try BatchFixtures.temporaryDirectory("sync-429")
        defer { try? FileManager.default.removeItem(at: dir) }
        let emulator = try await EmulatorHarness.start()
        defer { Task { await emulator.stop() } }
        emulator.faults.add(FaultRule(.status(429, retryAfter: 2), endpoint: "GET /v1/batches", count: 1))
        let (run, timedOut) = try await BatchtopProcess.runAsync(
            ["sync", "--once", "--db", dir.appendingPathComponent("b.sqlite").path],
            environment: ["OPENAI_API_KEY": emulator.projectKey, "OPENAI_BASE_URL": emulator.baseURL.absoluteString,
                          "BATCHTOP_CONFIG_DIR": dir.path, "XDG_DATA_HOME": dir.path, "XDG_STATE_HOME": dir.path],
            limit: 120)
        #expect(!timedOut)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("batchtop: rate limited by the provider (HTTP 429), retrying GET /batches in 2s (Retry-After; retry 1 of 2)"),
                "\(run.stderr)")
    }
}
