import Foundation
import Testing
@testable import BatchKit

@Suite struct LanesQueueDepthTests {
    let limits = AdmissionLimits(["gpt-4o": 1_000])

    func estimate(_ tokens: Int64, requests: Int, model: String = "gpt-4o") -> JobTokenEstimate {
        JobTokenEstimate(model: model, tokens: TokenCount(value: tokens, exact: false), requests: requests)
    }

    @Test func batchLaneDepthFromJobsAndHeldChunks() {
        let jobs = [
            batchJob("v", status: .validating),
            batchJob("p", status: .inProgress, counts: RequestCounts(total: 100, completed: 30, failed: 10)),
            batchJob("m", model: "gpt-4o-mini", status: .inProgress, counts: RequestCounts(total: 20, completed: 5)),
            batchJob("c", status: .completed, counts: RequestCounts(total: 100, completed: 100)),
            batchJob("r", status: .inProgress, counts: RequestCounts(total: 7), lane: .realtime),
        ]
        let estimates = ["v": estimate(300, requests: 50), "p": estimate(450, requests: 100), "c": estimate(999, requests: 100)]
        let held = [heldChunk(0, tokens: 400), heldChunk(1, tokens: 250, requests: 5)]
        let depth = QueueDepth.compute(lane: .batch, jobs: jobs, held: held, estimates: estimates, limits: limits)
        #expect(depth.heldChunks == 2 && depth.heldRequests == 15)
        #expect(depth.jobsByStatus == ["validating": 1, "in_progress": 2])
        #expect(depth.inFlightJobs == 3)
        #expect(depth.pendingRequests == 50 + 60 + 15)
        #expect(depth.unestimatedJobs == 1)
        #expect(depth.models.map(\.model) == ["gpt-4o"])
        #expect(depth.models[0].enqueued.value == 750 && depth.models[0].held.value == 650 && depth.models[0].limit == 1_000)
        #expect(depth.models[0].utilization == 0.75)

        let sample = QueueSample(at: 42, depth: depth)
        #expect(sample == QueueSample(at: 42, lane: .batch, heldChunks: 2, heldRequests: 15, inFlightJobs: 3,
                                      pendingRequests: 125, enqueuedTokens: 750, peakUtilizationPerMille: 750))
    }

    @Test func realtimeLaneHasNoEnqueuedTokens() {
        let jobs = [batchJob("r", status: .inProgress, counts: RequestCounts(total: 7, completed: 2), lane: .realtime),
                    batchJob("b", status: .inProgress, counts: RequestCounts(total: 9))]
        let depth = QueueDepth.compute(lane: .realtime, jobs: jobs, held: [heldChunk(0, tokens: 5)], estimates: [:], limits: limits)
        #expect(depth.inFlightJobs == 1 && depth.pendingRequests == 5 && depth.heldChunks == 0)
        #expect(depth.models.isEmpty && depth.unestimatedJobs == 0)
        #expect(QueueSample(at: 1, depth: depth).peakUtilizationPerMille == nil)
    }

    @Test func depthEncodesForQueueJSON() throws {
        let depth = QueueDepth.compute(lane: .batch, jobs: [Job](), held: [heldChunk(0, tokens: 5)], estimates: [:], limits: limits)
        let data = try JSONEncoder().encode(depth)
        #expect(try JSONDecoder().decode(QueueDepth.self, from: data) == depth)
    }
}
