import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite final class DecisionAdvisorTests {
    let dir: URL
    let store: BatchStore
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_000_000 + 20 * 3_600))

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("advisor")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func ops(readOnly: Bool = false) -> OperationsService {
        OperationsService(store: store, api: nil, clock: clock, actor: "ana", settings: OperationsSettings(approvers: ["ana", "ben"]),
                          prices: try! PriceTable.shippedDefault(), dataDirectory: dir, readOnly: readOnly)
    }

    @Test func aSlowJobIsEscalatedOnceWithItsExtraCost() throws {
        // 20 h in, 10 of 1,000 requests done: at this rate it ends long after its 24 h expiry.
        var slow = BatchFixtures.batch(1, status: .inProgress, total: 1_000, completed: 10)
        slow.usage = TokenUsage(inputTokens: 10_000, outputTokens: 5_000)
        // On track: 900 of 1,000 done.
        let fine = BatchFixtures.batch(2, status: .inProgress, total: 1_000, completed: 900)
        try store.recordObservedBatch(slow, observedAt: clock.unixNow())
        try store.recordObservedBatch(fine, observedAt: clock.unixNow())
        let advisor = Advisor()
        let raised = try advisor.run(ops())
        #expect(raised.map(\.subject) == [.job(slow.id)])
        let d = try #require(raised.first)
        #expect(d.toLane == .realtime && d.source == .advisor && d.state == .pending)
        #expect(d.reason.contains("expiry"))
        #expect((d.dailyCostImpact?.value ?? 0) > 0, "real time costs more than batch")
        #expect(d.details["will_run"]?.contains("run in real time") == true)
        #expect(try advisor.run(ops()).isEmpty, "deduplicated while pending")
        #expect(try store.decisions().count == 1)
        #expect(throws: OperationError.self) { try advisor.run(self.ops(readOnly: true)) }
    }

    @Test func aDeadlineInMetadataCountsBeforeExpiry() throws {
        var b = BatchFixtures.batch(1, status: .inProgress, total: 100, completed: 50)
        b.metadata[MetadataKey.deadline] = String(clock.unixNow() + 60)
        try store.recordObservedBatch(b, observedAt: clock.unixNow())
        let raised = try Advisor().run(ops())
        #expect(raised.first?.reason.contains("deadline") == true)
    }

    @Test func aNonUrgentWorkloadInRealTimeIsProposedForBatchWithTheSaving() throws {
        var rt = BatchFixtures.batch(1, status: .completed, createdAt: clock.unixNow() - 3_600, total: 10, completed: 10, workload: "nightly-eval")
        rt.metadata[MetadataKey.lane] = "realtime"
        rt.usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 100_000)
        try store.recordObservedBatch(rt, observedAt: clock.unixNow())
        let raised = try Advisor().run(ops())
        let d = try #require(raised.first)
        #expect(d.subject == .workload("nightly-eval") && d.toLane == .batch)
        #expect((d.dailyCostImpact?.value ?? 0) < 0, "moving to batch saves money")
    }
}
