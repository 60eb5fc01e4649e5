import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite("Operations: resubmit and results against the emulator")
struct OperationsResubmitTests {
    /// The custom_ids a finished batch did not answer successfully, from the provider's own files.
    static func unfinished(_ batch: Batch, _ f: OperationsFixture, total: Int) async throws -> [String] {
        var succeeded = Set<String>()
        if let out = batch.outputFileID {
            let url = f.dir.appendingPathComponent("check-\(out).jsonl")
            _ = try await f.client.downloadFileContent(id: out, to: url)
            for line in try BatchFileLines.read(url).lines where BatchFileLines.outcome(line) == .succeeded { succeeded.insert(line.customID) }
        }
        return (1...total).map { "req-\($0)" }.filter { !succeeded.contains($0) }
    }

    static func inputIDs(of batch: Batch, _ f: OperationsFixture) async throws -> [String] {
        let url = f.dir.appendingPathComponent("check-input-\(batch.id).jsonl")
        _ = try await f.client.downloadFileContent(id: batch.inputFileID, to: url)
        return try OperationsFixture.customIDs(url)
    }

    enum Ending: String, CaseIterable, Sendable { case partialFailure, expiry, cancellation }

    @Test("failed-only resubmit sends exactly the unfinished custom_ids", arguments: Ending.allCases)
    func failedOnly(_ ending: Ending) async throws {
        let f = try await OperationsFixture(configure: {
            switch ending {
            case .partialFailure: $0.requestFailureRate = 0.3
            case .expiry: $0.requestFailureRate = 0; $0.baseProcessingSeconds = 172_800...172_800; $0.maxProcessingSeconds = 172_800
            case .cancellation: $0.requestFailureRate = 0; $0.baseProcessingSeconds = 7_200...7_200
            }
        })
        do {
            let id = try await f.submit(40).id
            let parent: Batch
            switch ending {
            case .partialFailure: parent = try await f.advance(id, until: .completed)
            case .expiry: parent = try await f.advance(id, until: .expired, step: 3_600)
            case .cancellation:
                try await f.advance(id, until: .inProgress, step: 10)
                f.harness.advance(seconds: 3_000)
                _ = try await f.service().cancel([id])
                parent = try await f.advance(id, until: .cancelled, step: 30)
            }
            let expected = try await Self.unfinished(parent, f, total: 40)
            #expect(!expected.isEmpty && expected.count < 40, "the scenario leaves some requests unfinished")
            let outcome = try await f.service().resubmit(id, failedOnly: true)
            #expect(!outcome.reconciled)
            #expect(outcome.requestCount == expected.count)
            #expect(try await Self.inputIDs(of: outcome.batch, f) == expected)
            #expect(outcome.batch.metadata[MetadataKey.parent] == id)
            #expect(outcome.batch.metadata[MetadataKey.jobID] == outcome.localID)
            #expect(outcome.batch.metadata["workload"] == "nightly-eval")
            // Lineage from either end.
            #expect(try f.store.lineage(of: id).map(\.id) == [id, outcome.batch.id])
            #expect(try f.store.lineage(of: outcome.batch.id).map(\.id) == [id, outcome.batch.id])
            #expect(try f.store.intent(localID: outcome.localID)?.state == "created")
            let audit = try f.store.auditRecords(target: id).map(\.action)
            #expect(audit.suffix(2) == ["resubmit.upload", "resubmit"])
            #expect(try f.store.verifyAudit().isIntact)
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test func wholeResubmitReusesTheInputFileWhileItExists() async throws {
        let f = try await OperationsFixture()
        do {
            let id = try await f.submit(10).id
            try await f.advance(id, until: .completed)
            let outcome = try await f.service().resubmit(id, failedOnly: false)
            let parent = try #require(try f.store.jobDetail(id: id)?.job)
            #expect(outcome.batch.inputFileID == parent.batch.inputFileID)
            #expect(outcome.requestCount == 10)
            // Every request succeeded: nothing to send with --failed-only, refused with the reason.
            await #expect(throws: OperationError.self) { try await f.service().resubmit(id, failedOnly: true) }
            // While that resubmit runs, resubmitting the parent again is refused (its requests would run twice).
            await #expect(throws: OperationError.self) { try await f.service().resubmit(id, failedOnly: false) }
            // A running job is refused: its requests would run twice.
            await #expect(throws: OperationError.self) { try await f.service().resubmit(outcome.batch.id, failedOnly: false) }
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test func wholeResubmitUploadsTheStoredCopyWhenTheInputFileIsGone() async throws {
        let f = try await OperationsFixture()
        do {
            let id = try await f.submit(8).id
            let parent = try await f.advance(id, until: .completed)
            // results keeps a local copy of the input; then the provider's copy disappears.
            _ = try await f.service().mergeResults(id, to: f.dir.appendingPathComponent("r.jsonl"), includeErrors: false)
            try await f.client.deleteFile(id: parent.inputFileID)
            let outcome = try await f.service().resubmit(id, failedOnly: false)
            #expect(outcome.batch.inputFileID != parent.inputFileID)
            #expect(try await Self.inputIDs(of: outcome.batch, f) == (1...8).map { "req-\($0)" })
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test("a lost create response yields exactly one new batch")
    func lostResponse() async throws {
        let f = try await OperationsFixture(configure: { $0.requestFailureRate = 0.3 })
        do {
            let id = try await f.submit(30).id
            try await f.advance(id, until: .completed)
            let before = f.harness.counters().batchesCreated
            f.harness.faults.add(FaultRule(.lostResponse(), endpoint: "POST /v1/batches"))
            let outcome = try await f.service().resubmit(id, failedOnly: true)
            #expect(outcome.reconciled)
            #expect(f.harness.counters().batchesCreated == before + 1)
            #expect(try f.store.lineage(of: id).count == 2)
            let row = try #require(try f.store.auditRecords(target: id).last)
            #expect(row.action == "resubmit" && row.outcome.contains("found \(outcome.batch.id) by its tag"))
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test("killed between intent and create: the next run finds nothing was sent and says so")
    func killedBeforeSend() async throws {
        let f = try await OperationsFixture()
        do {
            let id = try await f.submit(5).id
            try await f.advance(id, until: .completed)
            // What a run killed right after recording its intent leaves behind.
            let recorder = StoreIntentRecorder(store: f.store, kind: "resubmit", parentJobID: id, clock: f.harness.clock)
            try await recorder.recordIntent(CreateIntent(jobID: "bt_dead", createdAt: f.harness.clock.unixNow(),
                                                         request: CreateBatchRequest(inputFileID: "file-x", endpoint: "/v1/chat/completions",
                                                                                     metadata: [MetadataKey.jobID: "bt_dead"])))
            let before = f.harness.counters().batchesCreated
            let settled = try await f.service().reconcileOpenIntents()
            #expect(settled.map(\.kind) == [.absent])
            #expect(f.harness.counters().batchesCreated == before)
            #expect(try f.store.intent(localID: "bt_dead")?.state == "failed")
            #expect(try f.store.auditRecords(target: "bt_dead").last?.outcome.contains("never reached the provider") == true)
            #expect(try await f.service().reconcileOpenIntents().isEmpty, "settled once")
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test("killed after the create was sent: the next resubmit records that batch and makes no duplicate")
    func killedAfterSend() async throws {
        let f = try await OperationsFixture()
        do {
            let id = try await f.submit(5).id
            let parent = try await f.advance(id, until: .completed)
            let recorder = StoreIntentRecorder(store: f.store, kind: "resubmit", parentJobID: id, clock: f.harness.clock)
            let request = CreateBatchRequest(inputFileID: parent.inputFileID, endpoint: parent.endpoint,
                                             metadata: [MetadataKey.jobID: "bt_sent", MetadataKey.parent: id])
            try await recorder.recordIntent(CreateIntent(jobID: "bt_sent", createdAt: f.harness.clock.unixNow(), request: request))
            let made = try await f.client.createBatch(request)   // the process died before recording this
            let before = f.harness.counters().batchesCreated
            // The operator, not knowing, resubmits again: the open intent is settled first and is the answer.
            let outcome = try await f.service().resubmit(id, failedOnly: false)
            #expect(outcome.reconciled && outcome.batch.id == made.id && outcome.localID == "bt_sent")
            #expect(f.harness.counters().batchesCreated == before)
            #expect(try f.store.intent(localID: "bt_sent")?.batchID == made.id)
            #expect(try f.store.lineage(of: id).map(\.id) == [id, made.id])
            let rows = try f.store.auditRecords(target: made.id)
            #expect(rows.first?.action == "resubmit.reconcile" && rows.first?.outcome.contains("nothing created again") == true)
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test("results merge a job and its resubmit: each input once, in input order, errors by code")
    func mergeResults() async throws {
        let f = try await OperationsFixture(configure: { $0.requestFailureRate = 0.3 })
        do {
            let id = try await f.submit(40).id
            try await f.advance(id, until: .completed)
            let child = try await f.service().resubmit(id, failedOnly: true)
            try await f.advance(child.batch.id, until: .completed)
            let out = f.dir.appendingPathComponent("merged.jsonl")
            let all = try await f.service().mergeResults(child.batch.id, to: out, includeErrors: true)
            #expect(all.jobIDs == [id, child.batch.id])
            #expect(all.inputCount == 40 && all.written == 40)
            #expect(all.succeeded + all.failed == 40)
            #expect(try OperationsFixture.customIDs(out) == (1...40).map { "req-\($0)" })
            let ok = try await f.service().mergeResults(id, to: out, includeErrors: false)
            #expect(ok.written == ok.succeeded && ok.errorsByCode == all.errorsByCode)
            let lines = try BatchFileLines.read(out).lines
            #expect(lines.allSatisfy { BatchFileLines.outcome($0) == .succeeded })
            // The child fixed some: more successes than the parent alone had.
            let parentOnly = try #require(try f.store.jobDetail(id: id)?.job.batch.requestCounts.completed)
            #expect(all.succeeded > parentOnly)
        } catch { await f.stop(); throw error }
        await f.stop()
    }
}
