import BatchKit
import Dashboard
import Foundation
import Testing
@testable import batchtop

/// The dashboard's write effects run through the same `OperationsService` as the commands.
@Suite final class OperationsEffectsTests {
    let dir: URL
    let store: BatchStore

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ops-effects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func ops(_ actor: String, readOnly: Bool = false) -> OperationsService {
        OperationsService(store: store, api: nil, clock: ManualClock(Date(timeIntervalSince1970: 1_767_225_600)), actor: actor,
                          settings: OperationsSettings(approvers: ["ben"]), prices: try! PriceTable.shippedDefault(), dataDirectory: dir, readOnly: readOnly)
    }

    @Test func reclassifyThenApproveFromTheDashboard() async throws {
        let raised = try #require(await ops("ana").perform(.reclassify(target: .workload("w"), to: .urgency(.urgent), reason: "late")))
        #expect(raised.succeeded && raised.message.contains("pending"))
        let row = try #require(try ops("ana").decisionRows().first)
        #expect(row.toLane == .realtime && row.toClass == .urgent && row.fromLane == .batch && row.state == .pending)
        let refused = try #require(await ops("ana").perform(.approve(decisionID: row.id, comment: "")))
        #expect(!refused.succeeded && refused.message.contains("may not approve"))
        let approved = try #require(await ops("ben").perform(.approve(decisionID: row.id, comment: "ok")))
        #expect(approved.succeeded)
        #expect(try ops("ben").decisionRows().first?.state == .approved)
        #expect(await ops("ben").perform(.pollNow) == nil)
    }

    @Test func readOnlyAndMissingProviderFailWithTheReason() async throws {
        let ro = try #require(await ops("ben", readOnly: true).perform(.reject(decisionID: "dec_x", comment: "no")))
        #expect(!ro.succeeded && ro.message.contains("read-only"))
        let cancel = try #require(await ops("ben").perform(.cancel(jobIDs: ["batch_1"])))
        #expect(!cancel.succeeded && cancel.message.contains("needs the provider"))
    }
}
