import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite("Operations: cancel against the emulator")
struct OperationsCancelTests {
    enum Stage: String, CaseIterable, Sendable {
        case validating, inProgress = "in_progress", finalizing, cancelling, completed, expired, cancelled
    }

    /// Brings a fresh batch to `stage` and returns its id.
    static func reach(_ stage: Stage, _ f: OperationsFixture) async throws -> String {
        let id = try await f.submit(20).id
        switch stage {
        case .validating: break
        case .inProgress: try await f.advance(id, until: .inProgress, step: 10)
        case .finalizing: try await f.advance(id, until: .finalizing, step: 30)
        case .completed: try await f.advance(id, until: .completed)
        case .expired: try await f.advance(id, until: .expired, step: 3_600)
        case .cancelling, .cancelled:
            try await f.advance(id, until: .inProgress, step: 10)
            _ = try await f.client.cancelBatch(id: id)
            try await f.sync(id)
            if stage == .cancelled { try await f.advance(id, until: .cancelled, step: 30) }
        }
        return id
    }

    @Test("cancel at every status", arguments: Stage.allCases)
    func cancelAt(_ stage: Stage) async throws {
        let f = try await OperationsFixture(configure: {
            $0.requestFailureRate = 0
            if stage == .expired { $0.baseProcessingSeconds = 172_800...172_800; $0.maxProcessingSeconds = 172_800 }
            else { $0.baseProcessingSeconds = 3_000...3_000 }
        })
        do {
            let id = try await Self.reach(stage, f)
            let before = try #require(try f.store.jobDetail(id: id)?.job)
            let outcome = try #require(try await f.service().cancel([id]).first)
            let after = try #require(try f.store.jobDetail(id: id)?.job)
            let audit = try f.store.auditRecords(target: id)
            switch stage {
            case .completed, .expired, .cancelled:
                #expect(outcome.kind == .refused(reason: "job is already \(before.batch.status); there is nothing to cancel"))
                #expect(after.cancelRequestedAt == nil)
                #expect(f.harness.counters()["POST /v1/batches/{id}/cancel"] == (stage == .cancelled ? 1 : 0))
                #expect(audit.last?.outcome.hasPrefix("refused") == true)
            case .cancelling:
                #expect(outcome.kind == .alreadyCancelling)
                #expect(audit.last?.outcome.hasPrefix("no-op") == true)
            case .validating, .inProgress, .finalizing:
                // The provider answers cancelling (or, for a finalizing batch, may refuse); never an optimistic "cancelled".
                #expect(after.batch.status != .cancelled)
                if case .requested(let status) = outcome.kind {
                    #expect(status == .cancelling)
                    #expect(after.cancelRequestedAt == f.harness.clock.unixNow())
                    #expect(audit.map(\.action) == ["cancel.request", "cancel"])
                    #expect(audit.last?.providerRequestID != nil)
                    // Idempotent: a second cancel sends nothing and keeps the first request time.
                    let again = try #require(try await f.service().cancel([id]).first)
                    #expect(again.kind == .alreadyCancelling)
                    #expect(try f.store.jobDetail(id: id)?.job.cancelRequestedAt == after.cancelRequestedAt)
                    try await f.advance(id, until: .cancelled, step: 30)
                } else {
                    #expect(stage == .finalizing, "only a finalizing batch may be refused, got \(outcome.kind)")
                }
            }
            #expect(try f.store.verifyAudit().isIntact)
        } catch {
            await f.stop(); throw error
        }
        await f.stop()
    }

    @Test("an approved escalation records exactly the unfinished requests and says nothing was sent")
    func escalationRecordsWhatWillRun() async throws {
        let f = try await OperationsFixture(configure: { $0.requestFailureRate = 0; $0.baseProcessingSeconds = 3_000...3_000 })
        do {
            let id = try await f.submit(12).id
            try await f.advance(id, until: .inProgress, step: 10)
            let d = try f.service("ana").reclassify(.job(id), lane: .realtime, urgencyClass: nil, reason: "deadline at 9")
            await #expect(throws: OperationError.self) { try await f.service("ben").recordEscalation(d.id) }   // not approved yet
            _ = try f.service("ben").approve(d.id)
            let before = f.harness.counters()
            let recorded = try await f.service("ben").recordEscalation(d.id)
            #expect(recorded.customIDs == (1...12).map { "req-\($0)" })
            #expect(try OperationsFixture.customIDs(recorded.file) == recorded.customIDs)
            #expect(recorded.message.contains("nothing was cancelled or sent"))
            #expect(f.harness.counters()["POST /v1/batches/{id}/cancel"] == before["POST /v1/batches/{id}/cancel"])
            #expect(f.harness.counters().batchesCreated == before.batchesCreated)
            #expect(try f.store.auditRecords(target: d.id).last?.action == "decision.apply")
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test("an approved escalation cancels the batch, runs the unfinished requests in real time, and results answer each once")
    func escalationRunsInRealTimeAndMergesOnce() async throws {
        let f = try await OperationsFixture(configure: { $0.requestFailureRate = 0; $0.baseProcessingSeconds = 3_000...3_000 })
        do {
            let id = try await f.submit(12).id
            try await f.advance(id, until: .inProgress, step: 10)
            let d = try f.service("ana").reclassify(.job(id), lane: .realtime, urgencyClass: nil, reason: "deadline at 9")
            _ = try f.service("ben").approve(d.id)
            let before = f.harness.counters()
            let executor = RealtimeExecutor(transport: f.client, concurrency: 4)
            let outcome = try await f.service("ben").applyEscalation(d.id, executor: executor)
            let unfinished = outcome.record.customIDs
            #expect(!unfinished.isEmpty)
            #expect(outcome.run?.sent == unfinished.count)
            #expect(outcome.run?.succeeded == unfinished.count)
            #expect(f.harness.counters()["POST /v1/batches/{id}/cancel"] == (before["POST /v1/batches/{id}/cancel"] ?? 0) + 1)
            #expect(try f.store.auditRecords(target: d.id).last?.action == "decision.execute")
            let realtimeRows = try f.store.spendRows(from: CalendarDay(unixSeconds: 0, in: CalendarDay.utc), to: CalendarDay(unixSeconds: 4_000_000_000, in: CalendarDay.utc))
                .filter { $0.lane == .realtime }
            #expect(!realtimeRows.isEmpty, "the escalation's usage is real-time spend")
            #expect(realtimeRows.reduce(Int64(0)) { $0 + $1.usage.inputTokens } == outcome.run?.usageByModel.values.reduce(Int64(0)) { $0 + $1.inputTokens })

            // Applying it again sends nothing twice: the results file already answers every request.
            let again = try await f.service("ben").applyEscalation(d.id, executor: executor)
            #expect(again.run?.sent ?? 0 == 0)

            _ = try await f.advance(id, until: .cancelled, step: 60)
            let merged = FileManager.default.temporaryDirectory.appendingPathComponent("merged-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: merged) }
            let summary = try await f.service("ben").mergeResults(id, to: merged, includeErrors: true)
            let ids = try OperationsFixture.customIDs(merged)
            #expect(ids == (1...12).map { "req-\($0)" }, "every input answered once, in input order")
            #expect(summary.succeeded == 12)
        } catch { await f.stop(); throw error }
        await f.stop()
    }

    @Test func manyAtOnceUnknownAndDuplicateIDs() async throws {
        let f = try await OperationsFixture()
        do {
            let a = try await f.submit(5).id
            let b = try await f.submit(5).id
            let outcomes = try await f.service().cancel([a, b, a, "batch_nope"])
            #expect(outcomes.map(\.jobID) == [a, b, "batch_nope"])
            #expect(outcomes.map(\.succeeded) == [true, true, false])
            #expect(outcomes[2].kind == .notFound)
            await #expect(throws: OperationError.readOnly(action: "cancel")) { try await f.service(readOnly: true).cancel([a]) }
        } catch { await f.stop(); throw error }
        await f.stop()
    }
}

