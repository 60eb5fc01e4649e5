import BatchKit
import Foundation
import Testing
import TestSupport
@testable import Dashboard

/// The list, the detail, the advisor and the admission queue answer one forecast (`JobForecast`).
///
/// The case that split them: an `in_progress` job the provider gave no `in_progress_at`, created an hour
/// ago, 10 of 100 requests done, 600 s to expiry. The list said 9 h (red "passes expiry"), the queue's
/// estimate 600 s, the advisor nothing. The rule: the rate is measured from `created_at`, so 90 pending
/// requests take 9 h, which passes the expiry.
@Suite struct OneForecastTests {
    static let now: Int64 = 1_767_225_600

    static func job(expiresIn: Int64) -> Job {
        let batch = Batch(
            id: "batch_slow", model: "gpt-4o", inputFileID: "file-in", status: .inProgress, createdAt: now - 3_600,
            inProgressAt: nil, expiresAt: now + expiresIn, requestCounts: RequestCounts(total: 100, completed: 10),
            metadata: ["workload": "nightly-eval"])
        return Job(batch: batch, firstSeenAt: now - 3_500, lastPolledAt: now)
    }

    /// When a chunk that needs the job's tokens is admitted: when the queue expects the job to let go.
    static func queueRelease(_ job: Job) -> Int64? {
        let chunk = Chunk(index: 0, firstLine: 1, lastLine: 10, entries: 0..<10, byteRange: 0..<1, requestCount: 10,
                          uploadBytes: 1, estimatedTokens: TokenCount(value: 600, exact: false))
        let held = HeldChunk(submissionID: "sub", chunk: chunk, model: "gpt-4o", heldSince: now)
        let estimate = JobTokenEstimate(model: "gpt-4o", tokens: TokenCount(value: 500, exact: false), requests: 100)
        return AdmissionController(limits: AdmissionLimits(["gpt-4o": 1_000]))
            .forecast(held: [held], jobs: [job], estimates: [job.id: estimate], now: now).first?.admitAt
    }

    @Test func aJobWithoutInProgressAtGetsOneAnswerEverywhere() throws {
        let job = Self.job(expiresIn: 600)
        let forecast = JobForecast(job, now: Self.now)
        #expect(forecast.remaining == Int64(9 * 3_600))
        #expect(forecast.passesExpiry)
        #expect(forecast.basis == .throughput(since: Self.now - 3_600, start: .createdAt))

        // The list.
        let row = JobRow(job: job)
        #expect(row.eta(now: Self.now) == forecast.remaining)
        #expect(row.etaPassesExpiry(now: Self.now))
        #expect(row.timeToExpiry(now: Self.now) == 600)

        // The list's row and the detail, as drawn.
        var state = AppState(context: Fixtures.context, width: 160, height: 40, now: Self.now)
        _ = reduce(&state, .jobsLoaded([row]))
        let palette = BuiltinThemes.default.palette(depth: .ansi256)
        let list = render(state, palette: palette).text
        #expect(list.contains(Format.duration(9 * 3_600)) && list.contains("⚠"), "\(list)")
        _ = reduce(&state, .key(.enter))
        let detail = render(state, palette: palette).text
        #expect(detail.contains("ETA             \(Format.duration(9 * 3_600))"), "\(detail)")
        #expect(detail.contains("ETA passes expiry"))

        // The queue: the job stops holding tokens when the provider expires it, before it would finish.
        #expect(Self.queueRelease(job) == forecast.release)
        #expect(forecast.release == Self.now + 600)

        // The advisor: the same forecast raises an escalation, saying what the rate was measured from.
        let dir = try BatchFixtures.temporaryDirectory("forecast")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        try store.recordObservedBatch(job.batch, observedAt: Self.now)
        let service = OperationsService(
            store: store, api: nil, clock: ManualClock(Date(timeIntervalSince1970: TimeInterval(Self.now))), actor: "ana",
            settings: OperationsSettings(), prices: try PriceTable.shippedDefault(), dataDirectory: dir)
        let raised = try Advisor().run(service)
        let decision = try #require(raised.first)
        #expect(raised.count == 1 && decision.subject == .job(job.id) && decision.toLane == .realtime)
        #expect(decision.fromLane == .batch)
        #expect(decision.reason.contains("after its expiry"))
        #expect(decision.reason.contains("created_at"), "\(decision.reason)")
    }

    @Test func theQueueUsesTheObservedRateWhenItEndsBeforeExpiry() {
        // Same job with 20 h to go: it finishes in 9 h, and the queue expects its tokens back then.
        let job = Self.job(expiresIn: 20 * 3_600)
        let forecast = JobForecast(job, now: Self.now)
        #expect(!forecast.passesExpiry)
        #expect(Self.queueRelease(job) == Self.now + 9 * 3_600)
        #expect(JobRow(job: job).eta(now: Self.now) == Int64(9 * 3_600))
    }

    @Test(arguments: [
        // (status, in_progress_at, counts, cancel requested) -> remaining (nil = unknown)
        (BatchStatus.validating, Int64?.none, RequestCounts(), false, Int64?.none),
        (.inProgress, now - 600, RequestCounts(total: 100), false, nil),                        // nothing done yet
        (.inProgress, now - 600, RequestCounts(total: 100, completed: 50), false, 600),
        (.inProgress, now - 600, RequestCounts(total: 100, completed: 50), true, nil),           // cancel requested
        (.finalizing, now - 600, RequestCounts(total: 100, completed: 100), false, 0),
        (.cancelling, now - 600, RequestCounts(total: 100, completed: 50), false, nil),
        (.completed, now - 600, RequestCounts(total: 100, completed: 100), false, nil),
        (BatchStatus("paused_by_provider"), now - 600, RequestCounts(total: 100, completed: 50), false, nil),
        (.inProgress, now + 60, RequestCounts(total: 100, completed: 50), false, nil),           // clock behind the start
    ])
    func unknownMeansNoEvidence(status: BatchStatus, inProgressAt: Int64?, counts: RequestCounts, cancelRequested: Bool, expected: Int64?) {
        let f = JobForecast(status: status, counts: counts, createdAt: Self.now - 3_600, inProgressAt: inProgressAt,
                            expiresAt: Self.now + 3_600, cancelRequestedAt: cancelRequested ? Self.now : nil, now: Self.now)
        #expect(f.remaining == expected)
        if expected == nil { #expect(!f.passesExpiry, "no evidence, no alarm") }
    }

    @Test func firstSeenIsTheStartOfLastResort() {
        var batch = Self.job(expiresIn: 600).batch
        batch.createdAt = 0
        let f = JobForecast(Job(batch: batch, firstSeenAt: Self.now - 1_800, lastPolledAt: Self.now), now: Self.now)
        #expect(f.basis == .throughput(since: Self.now - 1_800, start: .firstSeen))
        #expect(f.remaining == Int64(90 * 1_800 / 10))
    }
}
