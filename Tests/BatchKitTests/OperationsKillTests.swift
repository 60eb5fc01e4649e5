import BatchEmulator
import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// A real `batchtop resubmit` process SIGKILLed after recording its intent, while its create is in flight.
@Suite struct OperationsKillTests {
    @Test("killed mid-create: the next run finds the batch by its tag, makes no duplicate, and the audit says so")
    func killedWhileCreating() async throws {
        // The emulator's clock starts at the real time: reconciliation compares the intent's time (the
        // process's clock) with the provider's created_at.
        let f = try await OperationsFixture(configure: { $0.requestFailureRate = 0; $0.startTime = Int64(Date().timeIntervalSince1970) })
        do {
            let parent = try await f.submit(5).id
            try await f.advance(parent, until: .completed)
            let before = f.harness.counters().batchesCreated
            let createsBefore = f.harness.counters()["POST /v1/batches"]
            // The create is held for 3 s, then made: the process is dead by then, as if its answer was lost.
            f.harness.faults.add(FaultRule(.latency(milliseconds: 3_000), endpoint: "POST /v1/batches"))

            func process(_ args: [String]) throws -> Process {
                let p = try BatchtopProcess.process(args + ["--db", f.store.url.path], environment: [
                    "OPENAI_BASE_URL": f.harness.baseURL.absoluteString, "OPENAI_API_KEY": f.harness.projectKey, "USER": "ana",
                    "BATCHTOP_CONFIG_DIR": f.dir.appendingPathComponent("cfg").path, "XDG_DATA_HOME": f.dir.appendingPathComponent("xdg").path,
                ])
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                return p
            }
            let first = try process(["resubmit", parent])
            try first.run()
            // Wait (bounded) for the intent to be durable and the create to be in flight, then kill without warning.
            var intent: CreateIntentRecord?
            for _ in 0..<400 where intent == nil {
                intent = try f.store.openIntents().first
                if intent == nil { try await Task.sleep(nanoseconds: 10_000_000) }
            }
            // The intent is written before the create is sent: kill only once the emulator holds the create,
            // or a slow machine kills the process before it asked, and nothing is created at all.
            for _ in 0..<400 where f.harness.counters()["POST /v1/batches"] == createsBefore {
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            #expect(f.harness.counters()["POST /v1/batches"] == createsBefore + 1, "the create reached the emulator")
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            let recorded = try #require(intent, "the process never recorded its intent")
            #expect(first.terminationReason == .uncaughtSignal)
            #expect(recorded.parentJobID == parent && recorded.state == "pending")
            // Let the held create complete at the emulator (bounded wait).
            for _ in 0..<100 where f.harness.counters().batchesCreated == before {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            #expect(f.harness.counters().batchesCreated == before + 1)

            // The next run reconciles before doing anything.
            let second = try process(["resubmit", parent])
            try second.run()
            second.waitUntilExit()
            #expect(second.terminationStatus == 0)
            let trail = try f.store.auditRecords().map { "\($0.action) \($0.targets) \($0.outcome)" }
            #expect(f.harness.counters().batchesCreated == before + 1, "no duplicate: \(trail)")
            let settled = try #require(try f.store.intent(localID: recorded.localID))
            #expect(settled.state == "created")
            let child = try #require(settled.batchID)
            #expect(try f.store.lineage(of: parent).map(\.id) == [parent, child])
            let rows = try f.store.auditRecords(target: child)
            #expect(rows.first?.action == "resubmit.reconcile")
            #expect(rows.first?.outcome.contains("nothing created again") == true)
        } catch { await f.stop(); throw error }
        await f.stop()
    }
}
