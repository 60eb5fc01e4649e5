import BatchEmulator
import Foundation
import Testing
@testable import BatchKit
import TestSupport

/// Double spend: a create whose answer is lost, followed by reconciliation listings that fail, must
/// never lead to a second create. A `creating` chunk leaves that state only through reconciliation.
@Suite("Lanes: no double spend when the provider flaps", .serialized)
struct LanesDoubleSpendTests {
    typealias Rig = LanesSubmitTests.Rig

    @Test func aCreatingChunkStaysCreatingWhileTheReconcileListingFails() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        // The create makes a batch but its answer is lost (502); then the listing that would find it fails
        // for three whole client calls (the rig's client makes 5 attempts per call).
        rig.emulator.faults.add(FaultRule(.lostResponse(status: 502), endpoint: "POST /v1/batches", count: 1))
        rig.emulator.faults.add(FaultRule(.status(500), endpoint: "GET /v1/batches", count: 15))
        let path = rig.input(3)
        let (submission, first) = try #require(LanesSubmitTests.batchOutcome(
            try await rig.runner().run(.init(path: path, workload: "w", lane: .batch))))
        #expect(first.created.isEmpty)
        #expect(try rig.store.chunks(submissionID: submission.id).map(\.state) == [.creating])
        #expect(rig.emulator.counters().batchesCreated == 1)

        // The pump, step by step, while the listing keeps failing: the chunk stays `creating`, nothing is sent.
        let pump = rig.pump()
        for _ in 0..<2 {
            let step = try await pump.step()
            #expect(step.created.isEmpty)
            let chunk = try #require(try rig.store.chunks(submissionID: submission.id).first)
            #expect(chunk.state == .creating)
            #expect(step.errors[chunk.id]?.contains("not settled yet") == true)
            #expect(rig.emulator.counters()["POST /v1/batches"] == 1)
        }

        // The listing works again: the batch is found by its tag and recorded; still one batch.
        let settled = try await pump.step()
        let chunk = try #require(try rig.store.chunks(submissionID: submission.id).first)
        #expect(settled.created == [chunk.id])
        #expect(chunk.state == .created)
        #expect(rig.emulator.counters().batchesCreated == 1)
        #expect(rig.emulator.counters()["POST /v1/batches"] == 1)
        let listed = try await rig.client.listBatches(after: nil, limit: 100).data
        #expect(listed.map(\.id) == [try #require(chunk.batchID)])
    }

    @Test func aListingThatProvesAbsenceLetsTheChunkBeCreatedOnce() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        // The create is refused before it reaches the provider's batch store (a 500 with nothing made)
        // and the listing fails: unknown, so `creating`. Once the listing proves absence, one create.
        rig.emulator.faults.add(FaultRule(.status(500), endpoint: "POST /v1/batches", count: 1))
        rig.emulator.faults.add(FaultRule(.status(500), endpoint: "GET /v1/batches", count: 5))
        let path = rig.input(2)
        let (submission, _) = try #require(LanesSubmitTests.batchOutcome(
            try await rig.runner().run(.init(path: path, workload: "w", lane: .batch))))
        #expect(try rig.store.chunks(submissionID: submission.id).map(\.state) == [.creating])
        #expect(rig.emulator.counters().batchesCreated == 0)
        let step = try await rig.pump().step()
        #expect(step.created.count == 1)
        #expect(rig.emulator.counters().batchesCreated == 1)
        #expect(rig.emulator.counters()["POST /v1/batches"] == 2)
    }
}
