import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite final class SyncCycleTests {
    let dir: URL
    let store: BatchStore
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
    let me = LeaseClaimant(holderID: "me", pid: 1, host: "test")

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("sync")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func cycle(_ api: FakeBatchAPI, _ claimant: LeaseClaimant? = nil, files: Bool = false) -> SyncCycle {
        SyncCycle(api: api, store: store, clock: clock, claimant: claimant ?? me,
                  options: SyncOptions(dataDirectory: files ? dir : nil))
    }

    /// 1,050 batches: the 5 newest and two old ones (n = 100, 7) in progress, one old unknown status, the rest terminal.
    func history() -> [Batch] {
        (1...1050).map { n in
            if n > 1045 || n == 100 || n == 7 { return BatchFixtures.batch(n, status: .inProgress, completed: 1) }
            if n == 300 { return BatchFixtures.batch(n, status: BatchStatus("paused_for_review")) }
            return BatchFixtures.batch(n, status: n % 5 == 0 ? .failed : .completed, completed: 10)
        }
    }

    @Test func firstSyncReadsEveryPage() async throws {
        let api = FakeBatchAPI(batches: history())
        let report = try await cycle(api).runOnce()
        #expect(report.role == .poller)
        #expect(report.listPages == 11)
        #expect(report.retrievals == 0)
        #expect(report.fullListing)
        #expect(report.changes.newJobs.count == 1050)
        #expect(report.changes.activeJobCount == 8)
        #expect(try store.jobCount() == 1050)
        #expect(try store.freshness().fullListingAt == clock.unixNow())
        #expect(try store.freshness().lastCycleAPICalls == 11)
        #expect(api.maxConcurrentRequests == 1)
    }

    @Test func steadyStateListsOnePageAndFetchesOnlyActiveJobsItDidNotSee() async throws {
        let api = FakeBatchAPI(batches: history())
        _ = try await cycle(api).runOnce()
        api.resetCalls()
        clock.advance(by: 5)

        let report = try await cycle(api).runOnce()
        // Page 1 holds known terminal jobs, so listing stops; batches 100, 7 and 300 are below it.
        #expect(report.listPages == 1)
        #expect(report.retrievals == 3)
        #expect(api.calls(.list) == 1)
        #expect(api.calls(.retrieve) == 3)
        #expect(report.changes.isEmpty)
        #expect(report.changes.unchangedCount == 103)
    }

    @Test func newJobsOnTopAreListedUntilKnownTerminalOnes() async throws {
        let api = FakeBatchAPI(batches: history())
        _ = try await cycle(api).runOnce()
        api.put((1051...1180).map { BatchFixtures.batch($0, status: .validating) })
        api.resetCalls()

        let report = try await cycle(api).runOnce()
        #expect(report.changes.newJobs.count == 130)
        #expect(report.listPages == 2)
        #expect(try store.jobCount() == 1180)
    }

    @Test func untilOneListingReachedTheEndKnownTerminalJobsDoNotStopIt() async throws {
        let batches = history()
        // The newest batch is already known terminal, but no listing has ever reached the oldest batch.
        try store.applyCycle([batches[1049]], observedAt: 1)
        let api = FakeBatchAPI(batches: batches)
        let report = try await cycle(api).runOnce()
        #expect(report.listPages == 11)
        #expect(try store.jobCount() == 1050)
        api.put([BatchFixtures.batch(1051, status: .completed)])
        #expect(try await cycle(api).runOnce().listPages == 1)
    }

    @Test func aCycleThatFailsPartWayWritesNothing() async throws {
        let api = FakeBatchAPI(batches: history())
        _ = try await cycle(api).runOnce()
        api.put((1051...1060).map { BatchFixtures.batch($0, status: .validating) })
        api.update("batch_00001046") { $0.status = .completed }
        api.failNext(1, .retrieve, with: FakeAPIError(status: 500, message: "server error"))
        await #expect(throws: FakeAPIError.self) { try await cycle(api).runOnce() }
        #expect(try store.jobCount() == 1050)
        #expect(try store.jobDetail(id: "batch_00001046")?.job.batch.status == .inProgress)
        let report = try await cycle(api).runOnce()
        #expect(report.changes.newJobs.count == 10)
        #expect(report.changes.statusChanges.map(\.jobID) == ["batch_00001046"])
    }

    @Test func transitionsAreRecordedWithProviderTimes() async throws {
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .validating)])
        _ = try await cycle(api).runOnce()
        api.update("batch_00000001") { $0.status = .inProgress; $0.inProgressAt = 1_767_000_100; $0.requestCounts = RequestCounts(total: 10) }
        clock.advance(by: 5)
        let second = try await cycle(api).runOnce()
        #expect(second.changes.statusChanges == [.init(jobID: "batch_00000001", from: .validating, to: .inProgress)])
        #expect(second.changes.progressChanges.count == 1)
        api.update("batch_00000001") {
            $0.status = .completed; $0.finalizingAt = 1_767_000_200; $0.completedAt = 1_767_000_300
            $0.requestCounts = RequestCounts(total: 10, completed: 10)
        }
        clock.advance(by: 5)
        let third = try await cycle(api).runOnce()
        #expect(third.changes.activeJobCount == 0)

        let detail = try #require(try store.jobDetail(id: "batch_00000001"))
        #expect(detail.transitions.map(\.to) == [.validating, .inProgress, .completed])
        #expect(detail.transitions.map(\.at) == [1_767_000_001, 1_767_000_100, 1_767_000_300])
        #expect(detail.transitions.allSatisfy { $0.atIsProviderTime })
        #expect(detail.transitions.last?.observedAt == clock.unixNow())
    }

    @Test func unknownStatusIsKeptAndPolledAsActive() async throws {
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .completed), BatchFixtures.batch(2, status: BatchStatus("queued_for_review"))])
        let first = try await cycle(api).runOnce()
        #expect(first.changes.activeJobCount == 1)
        api.update("batch_00000002") { $0.status = BatchStatus("reviewing_harder") }
        let second = try await cycle(api).runOnce()
        #expect(second.changes.statusChanges.map(\.to) == [BatchStatus("reviewing_harder")])
        let detail = try #require(try store.jobDetail(id: "batch_00000002"))
        #expect(detail.job.batch.status.rawValue == "reviewing_harder")
        #expect(detail.transitions.last?.atIsProviderTime == false)
        #expect(SyncPolicy().interval(activeJobs: second.changes.activeJobCount) == SyncPolicy().activeInterval)
    }

    @Test func failuresAreRecordedForTheDashboardAndResetBySuccess() async throws {
        let api = FakeBatchAPI(batches: history())
        api.failNext(2, .list, with: FakeAPIError(status: 429, message: "Rate limit reached", retryAfter: 8))
        await #expect(throws: FakeAPIError.self) { try await cycle(api).runOnce() }
        clock.advance(by: 3)
        await #expect(throws: FakeAPIError.self) { try await cycle(api).runOnce() }
        var freshness = try store.freshness()
        #expect(freshness.consecutiveFailures == 2)
        #expect(freshness.lastErrorText == "429 Rate limit reached")
        #expect(freshness.isFailing)
        #expect(freshness.lastSuccessAt == nil)
        try store.recordSchedule(nextAttemptAt: clock.unixNow() + 8, intervalSeconds: 5)
        #expect(try store.freshness().summary(now: clock.unixNow()) == "never synced · last error: 429 Rate limit reached, retry in 8s")

        clock.advance(by: 8)
        _ = try await cycle(api).runOnce()
        freshness = try store.freshness()
        #expect(freshness.consecutiveFailures == 0)
        #expect(!freshness.isFailing)
        clock.advance(by: 12)
        #expect(freshness.summary(now: clock.unixNow()) == "updated 12s ago")
    }

    @Test func oneLeaseHolderPollsAndAnotherTakesOverAfterExpiry() async throws {
        let apiA = FakeBatchAPI(batches: history())
        let apiB = FakeBatchAPI(batches: history())
        let other = LeaseClaimant(holderID: "other", pid: 2, host: "test")

        let a1 = try await cycle(apiA).runOnce()
        #expect(a1.role == .poller)
        let b1 = try await cycle(apiB, other).runOnce()
        guard case let .standby(lease) = b1.role else { Issue.record("b should stand by"); return }
        #expect(lease.holderID == "me")
        #expect(apiB.totalCalls == 0)
        // The standby still reads everything the poller wrote.
        #expect(try store.jobCount() == 1050)

        // The holder dies: its lease runs out and the other takes over.
        clock.advance(by: TimeInterval(SyncOptions().initialLeaseTTL + 1))
        let b2 = try await cycle(apiB, other).runOnce()
        #expect(b2.role == .poller)
        #expect(apiB.totalCalls > 0)
        apiA.resetCalls()
        let a2 = try await cycle(apiA).runOnce()
        guard case .standby = a2.role else { Issue.record("the old holder must now stand by"); return }
        #expect(apiA.totalCalls == 0)
    }

    @Test func finishedJobsGetTheirFilesDownloadedAndChecksummed() async throws {
        let output = Data((0..<5000).map { #"{"custom_id":"r\#($0)","response":{"status_code":200}}"# + "\n" }.joined().utf8)
        let errors = Data(#"{"custom_id":"x","error":{"code":"batch_expired"}}"#.utf8)
        let api = FakeBatchAPI(batches: [
            BatchFixtures.batch(1, status: .completed, createdAt: 1_767_090_000, outputFileID: "file-out1", errorFileID: "file-err1"),
            BatchFixtures.batch(2, status: .inProgress, createdAt: 1_767_090_000, outputFileID: nil),
            BatchFixtures.batch(3, status: .completed, createdAt: 1_767_090_000, outputFileID: "file-missing"),
        ])
        api.setFileContent(output, for: "file-out1")
        api.setFileContent(errors, for: "file-err1")

        let report = try await cycle(api, files: true).runOnce()
        #expect(report.downloaded.count == 2)
        #expect(report.downloadFailures.map(\.fileID) == ["file-missing"])
        #expect(api.calls(.download) == 3)

        let detail = try #require(try store.jobDetail(id: "batch_00000001"))
        let out = try #require(detail.files.first { $0.kind == .output })
        #expect(out.status == .downloaded)
        #expect(out.bytes == Int64(output.count))
        let path = try #require(out.localPath)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == output)
        #expect(DatabaseFile.permissions(path) == 0o600)
        #expect(out.sha256 == (try Self.sha256sum(path)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path)
        #expect(leftovers.allSatisfy { !$0.hasSuffix(".partial") })

        // Downloaded files are not fetched again; the failed one is retried.
        api.resetCalls()
        _ = try await cycle(api, files: true).runOnce()
        #expect(api.calls(.download) == 1)
        let missing = try #require(try store.jobDetail(id: "batch_00000003")?.files.first)
        #expect(missing.status == .failed)
        #expect(missing.attempts == 2)
        #expect(missing.lastError?.contains("404") == true)
    }

    /// The system's `sha256sum` as an independent oracle.
    static func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sha256sum", path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return String(text.prefix(64))
    }

    @Test func aStuckCursorIsAnErrorNotALoop() async throws {
        struct Stuck: BatchAPI {
            func listBatches(after: String?, limit: Int) async throws -> BatchPage {
                BatchPage(data: [BatchFixtures.batch(1, status: .completed)], hasMore: true)
            }
            func retrieveBatch(id: String) async throws -> Batch { throw FakeAPIError(status: 404, message: "") }
            func createBatch(_ request: CreateBatchRequest) async throws -> Batch { throw FakeAPIError(status: 500, message: "") }
            func cancelBatch(id: String) async throws -> Batch { throw FakeAPIError(status: 500, message: "") }
            func uploadFile(at path: URL, purpose: String) async throws -> FileObject { throw FakeAPIError(status: 500, message: "") }
            func retrieveFile(id: String) async throws -> FileObject { throw FakeAPIError(status: 500, message: "") }
            func downloadFileContent(id: String, to destination: URL) async throws -> Int64 { throw FakeAPIError(status: 500, message: "") }
            func deleteFile(id: String) async throws {}
        }
        let c = SyncCycle(api: Stuck(), store: store, clock: clock, claimant: me)
        await #expect(throws: SyncError.paginationStuck(after: "batch_00000001")) { try await c.runOnce() }
        #expect(try store.freshness().lastErrorText?.contains("did not advance") == true)
    }
}

extension SyncCycleTests {
    @Test func aJobTheProviderNoLongerKnowsIsSkippedNotFatal() async throws {
        let api = FakeBatchAPI(batches: (1...150).map { BatchFixtures.batch($0, status: $0 == 1 ? .inProgress : .completed) })
        // One 404 is enough here (SyncMissingJobTests covers the streak a real poller needs).
        let options = SyncOptions(missing: MissingPolicy(confirmAfter: 1, minimumSeconds: 0),
                                  isNotFound: { ($0 as? FakeAPIError)?.status == 404 })
        let c = SyncCycle(api: api, store: store, clock: clock, claimant: me, options: options)
        _ = try await c.runOnce()
        // The provider forgets batch 1 (another project's key, say): it is neither listed nor found.
        let gone = FakeAPIError(status: 404, message: "No batch found")
        api.failNext(1, .retrieve, with: gone)
        api.update("batch_00000001") { $0.createdAt = 0 }
        let second = try await c.runOnce()
        #expect(second.missing == ["batch_00000001"])
        api.resetCalls()
        let third = try await c.runOnce()
        #expect(third.retrievals == 0)
        #expect(api.calls(.retrieve) == 0)
        #expect(try store.jobDetail(id: "batch_00000001")?.job.batch.status == .inProgress)
    }
}

extension SyncCycleTests {
    @Test(arguments: [
        // (active job numbers among 2,000, expected list pages, expected GETs). Page 1 holds 2,000...1,901.
        // 5 uncovered down to 1,100 would need 9 more pages: GET them.
        ([1_990, 1_700, 1_500, 1_300, 1_200, 1_100], 1, 5),
        // 9 uncovered all within the next page: read one more page instead of 9 GETs.
        ([1_999, 1_890, 1_880, 1_870, 1_860, 1_850, 1_840, 1_830, 1_820, 1_810], 2, 0),
        // 1 uncovered far below: 1 GET.
        ([1_999, 5], 1, 1),
    ])
    func listsOnWhenThatIsCheaperThanGETs(active: [Int], pages: Int, gets: Int) async throws {
        let api = FakeBatchAPI(batches: (1...2_000).map { BatchFixtures.batch($0, status: active.contains($0) ? .inProgress : .completed) })
        _ = try await cycle(api).runOnce()
        let report = try await cycle(api).runOnce()
        // Whatever the mix, every active job was covered, and never by more calls than one GET each after page 1.
        #expect(report.changes.unchangedCount >= active.count)
        #expect(report.apiCalls <= 1 + active.count)
        #expect(report.listPages + report.retrievals == report.apiCalls)
        #expect(report.listPages == pages)
        #expect(report.retrievals == gets)
    }
}

extension SyncCycleTests {
    /// A listing that takes longer than the lease: the clock jumps 50 s per page, and after each page
    /// another dashboard tries to take the lease.
    struct SlowAPI: BatchAPI {
        let inner: FakeBatchAPI
        let clock: ManualClock
        let store: BatchStore
        func listBatches(after: String?, limit: Int) async throws -> BatchPage {
            clock.advance(by: 50)
            let page = try await inner.listBatches(after: after, limit: limit)
            if case .held = try store.claimLease(LeaseClaimant(holderID: "other", pid: 9, host: "t"), now: clock.unixNow(), ttl: 60,
                                                monotonic: clock.monotonicSeconds()) {
                Issue.record("another poller took the lease in the middle of the listing")
            }
            return page
        }
        func retrieveBatch(id: String) async throws -> Batch { try await inner.retrieveBatch(id: id) }
        func createBatch(_ request: CreateBatchRequest) async throws -> Batch { try await inner.createBatch(request) }
        func cancelBatch(id: String) async throws -> Batch { try await inner.cancelBatch(id: id) }
        func uploadFile(at path: URL, purpose: String) async throws -> FileObject { try await inner.uploadFile(at: path, purpose: purpose) }
        func retrieveFile(id: String) async throws -> FileObject { try await inner.retrieveFile(id: id) }
        func downloadFileContent(id: String, to destination: URL) async throws -> Int64 { try await inner.downloadFileContent(id: id, to: destination) }
        func deleteFile(id: String) async throws { try await inner.deleteFile(id: id) }
    }

    @Test func aLongFirstSyncKeepsItsLeaseSoNobodyTakesOverMidway() async throws {
        let api = SlowAPI(inner: FakeBatchAPI(batches: history()), clock: clock, store: store)
        let c = SyncCycle(api: api, store: store, clock: clock, claimant: me, options: SyncOptions(initialLeaseTTL: 120))
        let report = try await c.runOnce()   // 11 pages = 550 s, far past one 120 s lease
        #expect(report.role == .poller)
        #expect(try store.jobCount() == 1050)
    }
}

extension SyncCycleTests {
    @Test func reportLinesNameEveryChangeAndFreshnessTurnsStale() async throws {
        let api = FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .validating, workload: "w1")])
        let first = try await cycle(api).runOnce()
        #expect(first.changeLines == ["new batch_00000001 validating w1 0/0"])
        api.update("batch_00000001") { $0.status = .inProgress; $0.requestCounts = RequestCounts(total: 8, completed: 3, failed: 1) }
        clock.advance(by: 5)
        let second = try await cycle(api).runOnce()
        #expect(second.changeLines == ["status batch_00000001 validating -> in_progress", "progress batch_00000001 3/8 done, 1 failed"])

        try store.recordSchedule(nextAttemptAt: clock.unixNow() + 5, intervalSeconds: 5)
        let freshness = try store.freshness()
        #expect(!freshness.isStale(now: clock.unixNow() + 10))
        #expect(freshness.isStale(now: clock.unixNow() + 11))
    }
}
