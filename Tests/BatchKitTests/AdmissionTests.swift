import Foundation
import Testing
@testable import BatchKit

func heldChunk(_ index: Int, tokens: Int64, model: String = "gpt-4o", requests: Int = 10, submission: String = "sub") -> HeldChunk {
    let chunk = Chunk(index: index, firstLine: index * requests + 1, lastLine: (index + 1) * requests,
                      entries: (index * requests)..<((index + 1) * requests), byteRange: 0..<1,
                      requestCount: requests, uploadBytes: 1, estimatedTokens: TokenCount(value: tokens, exact: false))
    return HeldChunk(submissionID: submission, chunk: chunk, model: model, heldSince: 0)
}

func batchJob(_ id: String, model: String? = "gpt-4o", status: BatchStatus, createdAt: Int64 = 0,
              inProgressAt: Int64? = nil, expiresAt: Int64? = nil, counts: RequestCounts = RequestCounts(),
              errors: [BatchErrorItem] = [], lane: Lane = .batch) -> Job {
    Job(batch: Batch(id: id, model: model, errors: errors, status: status, createdAt: createdAt,
                     inProgressAt: inProgressAt, expiresAt: expiresAt, requestCounts: counts),
        lane: lane, firstSeenAt: createdAt, lastPolledAt: createdAt)
}

@Suite struct AdmissionTests {
    let limits = AdmissionLimits(["gpt-4o": 1_000, "gpt-4o-mini": 5_000])

    func estimate(_ tokens: Int64, model: String = "gpt-4o") -> JobTokenEstimate {
        JobTokenEstimate(model: model, tokens: TokenCount(value: tokens, exact: false), requests: 10)
    }

    /// A submission of four 400-token chunks against a 1,000-token limit, run as the provider finishes jobs.
    @Test func holdsAndReleasesAsJobsFinish() {
        let controller = AdmissionController(limits: limits)
        var held = (0..<4).map { heldChunk($0, tokens: 400) }
        var jobs: [Job] = []
        var estimates: [String: JobTokenEstimate] = [:]

        func pass() -> [String] {
            let decision = controller.decide(held: held, enqueued: EnqueuedTokens.compute(jobs: jobs, estimates: estimates, limits: limits))
            for chunk in decision.admitted {
                let id = "batch_\(chunk.chunk.index)"
                jobs.append(batchJob(id, status: .validating))
                estimates[id] = estimate(chunk.tokens)
            }
            held = decision.held
            return decision.admitted.map(\.id)
        }
        func finish(_ id: String, as status: BatchStatus) {
            jobs = jobs.map { job in
                guard job.id == id else { return job }
                var done = job; done.batch.status = status; return done
            }
        }

        // (event before the pass, chunks admitted by the pass)
        #expect(pass() == ["sub#0", "sub#1"])
        #expect(held.map(\.id) == ["sub#2", "sub#3"])
        #expect(pass() == [])                       // nothing finished: still 800 of 1,000
        finish("batch_0", as: .inProgress)
        #expect(pass() == [])                       // running jobs still count
        finish("batch_0", as: .completed)
        #expect(pass() == ["sub#2"])                // 400 freed: the head goes, the next waits
        finish("batch_1", as: .failed)
        #expect(pass() == ["sub#3"])
        #expect(held.isEmpty)
        finish("batch_2", as: .expired); finish("batch_3", as: .cancelled)
        #expect(EnqueuedTokens.compute(jobs: jobs, estimates: estimates, limits: limits).byPool.isEmpty)
    }

    @Test(arguments: [
        (Int64(600), Int64(400), "admit"), (601, 400, "hold"), (0, 1_000, "admit"), (0, 1_001, "reject"), (1_200, 1, "hold"),
    ])
    func neverPastTheLimit(enqueued: Int64, tokens: Int64, expected: String) {
        let decision = AdmissionController(limits: limits).decide(
            held: [heldChunk(0, tokens: tokens)], enqueued: EnqueuedTokens(byPool: ["gpt-4o": TokenCount(value: enqueued, exact: false)]))
        switch decision.entries[0].verdict {
        case .admit: #expect(expected == "admit")
        case .hold: #expect(expected == "hold")
        case .reject: #expect(expected == "reject")
        }
    }

    @Test func firstInFirstOutPerModelButPoolsAreIndependent() {
        let held = [heldChunk(0, tokens: 700), heldChunk(1, tokens: 100), heldChunk(2, tokens: 3_000, model: "gpt-4o-mini")]
        let enqueued = EnqueuedTokens(byPool: ["gpt-4o": TokenCount(value: 500, exact: false)])
        let decision = AdmissionController(limits: limits).decide(held: held, enqueued: enqueued)
        #expect(decision.held.map(\.id) == ["sub#0", "sub#1"])
        #expect(decision.admitted.map(\.id) == ["sub#2"])
        #expect(decision.entries[1].verdict.reason.contains("waiting behind sub#0"))
        #expect(decision.entries[0].verdict.reason.contains("500 of 1,000"))
    }

    @Test func chunkLargerThanTheWholeLimitIsRejectedNotDeadlocked() {
        let held = [heldChunk(0, tokens: 1_001), heldChunk(1, tokens: 1_000)]
        let decision = AdmissionController(limits: limits).decide(held: held, enqueued: EnqueuedTokens())
        #expect(decision.rejected.map(\.id) == ["sub#0"])
        #expect(decision.admitted.map(\.id) == ["sub#1"])
        #expect(decision.entries[0].verdict.reason.contains("more than the whole 1,000-token enqueued limit"))
    }

    @Test func unknownLimitAdmitsAndSaysSo() {
        let decision = AdmissionController(limits: limits).decide(held: [heldChunk(0, tokens: 10_000_000, model: "o3")], enqueued: EnqueuedTokens())
        #expect(decision.admitted.count == 1)
        #expect(decision.entries[0].verdict.reason.contains("no enqueued-token limit known for o3"))
    }

    @Test(arguments: [
        ("gpt-4o", "gpt-4o"), ("gpt-4o-2024-08-06", "gpt-4o"), ("gpt-4o-mini", "gpt-4o-mini"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"), ("gpt-4o-audio-preview", "gpt-4o-audio-preview"), ("o3", "o3"),
    ])
    func limitsGovernDatedSnapshots(model: String, pool: String) {
        #expect(limits.pool(for: model) == pool)
    }

    @Test func enqueuedTokensCountNonTerminalBatchJobsOnly() {
        let jobs = [
            batchJob("a", status: .validating), batchJob("b", model: "gpt-4o-2024-08-06", status: .inProgress),
            batchJob("c", status: .finalizing), batchJob("d", status: .cancelling), batchJob("e", status: .completed),
            batchJob("f", status: BatchStatus("paused_for_review")), batchJob("g", status: .inProgress, lane: .realtime),
            batchJob("x", model: nil, status: .inProgress, counts: RequestCounts(total: 100)),
            batchJob("y", model: "gpt-4o-mini", status: .inProgress, counts: RequestCounts(total: 10)),
        ]
        let estimates = ["a": estimate(1), "b": estimate(10), "c": estimate(100), "d": estimate(1_000),
                         "e": estimate(10_000), "f": estimate(100_000), "g": estimate(1_000_000)]
        let counted = EnqueuedTokens.compute(jobs: jobs, estimates: estimates, limits: limits)
        #expect(counted["gpt-4o"] == 101_111)
        #expect(counted.unestimatedJobIDs == ["x", "y"])
        let withFallback = EnqueuedTokens.compute(jobs: jobs, estimates: estimates, limits: limits, fallbackTokensPerRequest: 50)
        #expect(withFallback["gpt-4o-mini"] == 500)
        #expect(withFallback.unestimatedJobIDs == ["x"])
    }

    @Test(arguments: [
        // (status, inProgressAt, counts, expiresAt) at now = 10_000 -> expected end
        (BatchStatus.inProgress, Int64?(4_000), RequestCounts(total: 100, completed: 40, failed: 10), Int64?(90_000), Int64(16_000)),
        (.inProgress, 4_000, RequestCounts(total: 100, completed: 1), 12_000, 12_000),   // capped at expiry
        (.inProgress, 4_000, RequestCounts(total: 100), 50_000, 50_000),                 // no progress yet
        (.inProgress, 4_000, RequestCounts(total: 10, completed: 10), 50_000, 10_000),   // all done
        (.validating, nil, RequestCounts(), nil, 96_400),                               // no created_at or expiry: a window from now
        (.finalizing, 4_000, RequestCounts(total: 10, completed: 10), 50_000, 10_000),
        (.cancelling, 4_000, RequestCounts(total: 10), 50_000, 10_600),
        (BatchStatus("paused"), 4_000, RequestCounts(total: 10, completed: 5), 50_000, 50_000),
    ])
    func jobRelease(status: BatchStatus, inProgressAt: Int64?, counts: RequestCounts, expiresAt: Int64?, expected: Int64) {
        let job = batchJob("j", status: status, inProgressAt: inProgressAt, expiresAt: expiresAt, counts: counts)
        #expect(JobForecast(job, now: 10_000).release == expected)
    }

    @Test func dryRunForecastAdmitsAsInFlightJobsFinish() {
        let now: Int64 = 10_000
        // 600 tokens in flight, half done after 1 h: expected to finish in 1 h.
        let jobs = [batchJob("run", status: .inProgress, inProgressAt: now - 3_600, expiresAt: now + 80_000,
                             counts: RequestCounts(total: 10, completed: 5))]
        let held = [heldChunk(0, tokens: 300), heldChunk(1, tokens: 300), heldChunk(2, tokens: 900),
                    heldChunk(3, tokens: 2_000), heldChunk(4, tokens: 100)]
        let forecast = AdmissionController(limits: limits).forecast(
            held: held, jobs: jobs, estimates: ["run": estimate(600)], now: now, assumedChunkDuration: 7_200)
        #expect(forecast.map(\.chunkID) == held.map(\.id))
        #expect(forecast.map(\.admitAt) == [now, now + 3_600, now + 3_600 + 7_200, nil, now + 3_600 + 7_200])
        #expect(forecast[3].reason.hasPrefix("never"))
        // The live decision agrees with the forecast for "now".
        let decision = AdmissionController(limits: limits).decide(
            held: held, enqueued: EnqueuedTokens.compute(jobs: jobs, estimates: ["run": estimate(600)], limits: limits))
        #expect(decision.admitted.map(\.id) == forecast.filter { $0.admitAt == now }.map(\.chunkID))
    }

    @Test(arguments: [
        (BatchStatus.failed, [BatchErrorItem(code: "token_limit_exceeded", message: "Enqueued token limit reached for gpt-4o")], 0, "requeue"),
        (.failed, [BatchErrorItem(code: "token_limit_exceeded", message: "Enqueued token limit reached for gpt-4o")], 1, "giveUp"),
        (.failed, [BatchErrorItem(code: "invalid_request", message: "bad line", line: 3)], 0, "notApplicable"),
        (.failed, [], 0, "notApplicable"),
        (.completed, [], 0, "notApplicable"),
        (.inProgress, [BatchErrorItem(code: "token_limit_exceeded", message: nil)], 0, "notApplicable"),
    ])
    func requeueOnce(status: BatchStatus, errors: [BatchErrorItem], requeued: Int, expected: String) {
        let decision = RequeuePolicy().decide(batchJob("batch_9", status: status, errors: errors), requeuedCount: requeued)
        switch decision {
        case .requeue(let reason):
            #expect(expected == "requeue")
            #expect(reason.contains("Enqueued token limit reached") && reason.contains("1 of 1"))
        case .giveUp(let reason):
            #expect(expected == "giveUp")
            #expect(reason.contains("after 1 automatic re-queue"))
        case .notApplicable(let reason):
            #expect(expected == "notApplicable")
            #expect(reason.contains("batch_9"))
        }
    }
}

@Suite struct SubmissionPlanTests {
    @Test func dryRunPlanListsChunksTokensCostsAndAdmission() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<5).map { requestLine("p\($0)", content: String(repeating: "w", count: 280)) }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        let perLine = Int64(summary.index.tokens[0])
        let chunks = try ChunkPlanner(limits: ChunkLimits(maxRequests: 2)).plan(summary)
        let limits = AdmissionLimits(["gpt-4o": perLine * 4])
        let held = chunks.map { HeldChunk(submissionID: "s1", chunk: $0, model: "gpt-4o", heldSince: 0) }
        let forecast = AdmissionController(limits: limits).forecast(held: held, jobs: [], estimates: [:], now: 100, assumedChunkDuration: 3_600)
        // Batch at $1.25 per million input tokens, real-time at $2.50; prices come from outside.
        let plan = SubmissionPlan(summary: summary, chunks: chunks, forecast: forecast, submissionID: "s1") { _, lane, tokens in
            MicroDollars(tokens * (lane == .batch ? 125 : 250) / 100)
        }
        #expect(plan.rows.map(\.admitAt) == [100, 100, 3_700])
        #expect(plan.totalTokens.value == perLine * 5)
        #expect(plan.totalInputCost["batch"] == MicroDollars(plan.rows.reduce(0) { $0 + $1.chunk.estimatedTokens.value * 125 / 100 }))
        let text = plan.textLines(now: 100)
        #expect(text.count == 5)
        #expect(text[1].contains("lines 1-2") && text[1].hasSuffix("admit now"))
        #expect(text[3].contains("lines 5-5") && text[3].hasSuffix("admit in 1h 0m"))
        #expect(text[4].contains("(output tokens not included)"))
    }
}
