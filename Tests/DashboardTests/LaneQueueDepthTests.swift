@testable import BatchKit
import Testing
@testable import Dashboard

/// The Queue pane's adapter from BatchKit's queue depth and samples.
@Suite("LaneQueue from QueueDepth")
struct LaneQueueDepthTests {
    @Test func mapsDepthAndHistory() {
        let depth = QueueDepth(
            lane: .batch, heldChunks: 2, heldRequests: 70, jobsByStatus: ["validating": 1, "in_progress": 3], inFlightJobs: 4,
            pendingRequests: 900,
            models: [.init(model: "gpt-4o-mini", enqueued: TokenCount(value: 1_500, exact: false), held: .zero, limit: 2_000)],
            unestimatedJobs: 0)
        let samples = [
            QueueSample(at: 1, lane: .batch, heldChunks: 3, heldRequests: 0, inFlightJobs: 1, pendingRequests: 0, enqueuedTokens: 0, peakUtilizationPerMille: nil),
            QueueSample(at: 1, lane: .realtime, heldChunks: 0, heldRequests: 0, inFlightJobs: 9, pendingRequests: 0, enqueuedTokens: 0, peakUtilizationPerMille: nil),
            QueueSample(at: 2, lane: .batch, heldChunks: 2, heldRequests: 0, inFlightJobs: 4, pendingRequests: 0, enqueuedTokens: 0, peakUtilizationPerMille: nil),
        ]
        let row = LaneQueue(depth: depth, samples: samples)
        #expect(row.held == 2)
        #expect(row.pendingRequests == 900)
        #expect(row.byStatus == [StatusCount(.inProgress, 3), StatusCount(BatchStatus("validating"), 1)])
        #expect(row.tokens == [ModelTokens(model: "gpt-4o-mini", enqueued: 1_500, limit: 2_000)])
        #expect(row.depthHistory == [4, 6])
    }
}
