import BatchEmulator
import Foundation
import Synchronization
import Testing
@testable import BatchKit
import TestSupport

/// `submit` end to end against the in-process emulator: validation, chunking, admission, re-queue,
/// lost responses and resume.
@Suite("Lanes: submit against the emulator", .serialized)
struct LanesSubmitTests {
    /// An emulator, a store and a runner wired together.
    struct Rig {
        let emulator: EmulatorHarness
        let store: BatchStore
        let client: OpenAIClient
        let fixture: LanesFixture

        static func start(timeout: Double = OpenAIClientOptions.defaultTimeoutSeconds,
                          configure: (inout EmulatorConfig) -> Void = { _ in }) async throws -> Rig {
            let emulator = try await EmulatorHarness.start(configure: { config in
                config.requestFailureRate = 0
                configure(&config)
            })
            let fixture = LanesFixture()
            let store = try BatchStore(url: fixture.directory.appendingPathComponent("db.sqlite"))
            let client = OpenAIClient(
                options: OpenAIClientOptions(baseURL: emulator.baseURL, apiKey: Secret(emulator.projectKey),
                                             timeoutSeconds: timeout, retry: RetryPolicy(maxRetries: 4, random: { 0 })),
                sleeper: RetrySleeper { _ in }, clock: emulator.clock)
            return Rig(emulator: emulator, store: store, client: client, fixture: fixture)
        }

        func pump(api: (any BatchAPI)? = nil, limits: AdmissionLimits = AdmissionLimits()) -> SubmissionPump {
            SubmissionPump(api: api ?? client, store: store, clock: emulator.clock, limits: limits,
                           workDirectory: fixture.directory.appendingPathComponent("chunks"), actor: "test")
        }

        func runner(api: (any BatchAPI)? = nil, limits: AdmissionLimits = AdmissionLimits(),
                    chunkLimits: ChunkLimits = ChunkLimits()) -> SubmissionRunner {
            SubmissionRunner(store: store, pump: pump(api: api, limits: limits),
                             executor: RealtimeExecutor(transport: client, concurrency: 4, clock: emulator.clock, sleeper: RetrySleeper { _ in }),
                             chunkLimits: chunkLimits, prices: try? PriceTable.shippedDefault(), clock: emulator.clock)
        }

        func input(_ count: Int, model: String = "gpt-4o-mini", name: String = "input.jsonl") -> String {
            fixture.file(lines: (1...count).map { requestLine("req-\($0)", model: model, content: "question number \($0)") }, name: name)
        }

        func stop() async { await emulator.stop(); fixture.remove() }
    }

    static func batchOutcome(_ o: SubmissionRunner.Outcome) -> (SubmissionRecord, SubmissionPump.Report)? {
        if case .batch(let s, _, let r) = o { return (s, r) }
        return nil
    }

    @Test func invalidFileListsEveryProblemByLineAndUploadsNothing() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.fixture.file(lines: [
            requestLine("a", model: "gpt-4o-mini"),
            "{not json",
            #"{"method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini"}}"#,
            requestLine("a", model: "gpt-4o-mini"),
            requestLine("e", model: "gpt-4o-mini", method: "GET"),
            requestLine("f", model: "gpt-4o"),
        ])
        let outcome = try await rig.runner().run(.init(path: path, workload: "w", lane: .batch))
        guard case .invalid(let report) = outcome else { Issue.record("expected invalid, got \(outcome)"); return }
        let located = Set(report.problems.map { "\($0.kind.rawValue)@\($0.line)" })
        #expect(located.isSuperset(of: ["invalid_json@2", "missing_custom_id@3", "duplicate_custom_id@4", "method_not_post@5", "mixed_model@6"]))
        #expect(rig.emulator.counters()["POST /v1/files"] == 0)
        #expect(rig.emulator.counters()["POST /v1/batches"] == 0)
        #expect(try rig.store.submissions().isEmpty)
    }

    @Test(arguments: [
        // (requests, maxRequests, maxBytes in lines' worth, expected chunk sizes)
        (7, 3, 0, [3, 3, 1]),
        (7, 50_000, 3, [3, 3, 1]),
        (5, 2, 5, [2, 2, 1]),
    ])
    func chunksAtTheRequestAndByteLimits(requests: Int, maxRequests: Int, linesOfBytes: Int, expected: [Int]) async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.input(requests)
        // All lines have the same length up to the digits; size the byte limit from the longest line.
        let longest = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.utf8.count + 1 }.max()!
        let maxBytes = linesOfBytes == 0 ? 200_000_000 : Int64(longest * linesOfBytes)
        let outcome = try await rig.runner(chunkLimits: ChunkLimits(maxRequests: maxRequests, maxBytes: maxBytes))
            .run(.init(path: path, workload: "chunky", lane: .batch))
        let (submission, report) = try #require(Self.batchOutcome(outcome))
        let chunks = try rig.store.chunks(submissionID: submission.id)
        #expect(chunks.map(\.chunk.requestCount) == expected)
        #expect(report.created.count == expected.count)
        #expect(rig.emulator.counters().batchesCreated == expected.count)
        for c in chunks {
            let batch = try await rig.client.retrieveBatch(id: try #require(c.batchID))
            #expect(batch.metadata["workload"] == "chunky")
            #expect(batch.metadata["batchtop_submission"] == submission.id)
            #expect(batch.metadata["batchtop_chunk"] == String(c.chunk.index))
            #expect(batch.metadata["batchtop_job_id"] == c.id)
            #expect(batch.metadata["batchtop_lane"] == "batch")
        }
    }

    @Test func admissionHoldsChunksAndReleasesThemAsBatchesFinish() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.input(8)
        let planned = try ChunkPlanner(limits: ChunkLimits(maxRequests: 2)).plan(try InputFileValidator().validate(path: path))
        // Room for two chunks at a time.
        let limit = planned[0].estimatedTokens.value + planned[1].estimatedTokens.value
        let limits = AdmissionLimits(["gpt-4o-mini": limit])
        let runner = rig.runner(limits: limits, chunkLimits: ChunkLimits(maxRequests: 2))
        let first = try await runner.run(.init(path: path, workload: "w", lane: .batch))
        let (submission, report) = try #require(Self.batchOutcome(first))
        #expect(report.created.count == 2)
        #expect(report.held.count == 2)
        #expect(rig.emulator.counters().batchesCreated == 2)

        var maxEnqueued: Int64 = 0
        var steps = 0
        while try rig.store.submission(id: submission.id)?.state == .active && steps < 10 {
            rig.emulator.advance(seconds: 26 * 3600)
            let r = try await runner.pump.step()
            let load = r.depth.first { $0.lane == .batch }?.models.first { $0.model == "gpt-4o-mini" }
            maxEnqueued = max(maxEnqueued, load?.enqueued.value ?? 0)
            steps += 1
        }
        #expect(try rig.store.submission(id: submission.id)?.state == .done)
        #expect(try rig.store.chunks(submissionID: submission.id).allSatisfy { $0.state == .created })
        #expect(rig.emulator.counters().batchesCreated == 4)
        #expect(maxEnqueued <= limit)
        #expect(try !rig.store.queueSamples(lane: .batch, since: 0).isEmpty)
    }

    @Test func batchFailingOnTheTokenLimitIsRequeuedOnceWithAnAuditRow() async throws {
        let rig = try await Rig.start { $0.tokenLimits = ["gpt-4o-mini": 5] }
        defer { Task { await rig.stop() } }
        let path = rig.input(2)
        let runner = rig.runner()
        let (submission, _) = try #require(Self.batchOutcome(try await runner.run(.init(path: path, workload: "w", lane: .batch))))
        rig.emulator.advance(seconds: 200)
        let second = try await runner.pump.step()
        #expect(second.requeued == ["\(submission.id)#0"])
        #expect(second.created == ["\(submission.id)#0"])   // admitted again in the same step
        var chunk = try #require(try rig.store.chunks(submissionID: submission.id).first)
        #expect(chunk.requeueCount == 1)
        #expect(try rig.store.auditRecords().filter { $0.action == SubmissionPump.requeueAuditAction }.count == 1)
        rig.emulator.advance(seconds: 200)
        let third = try await runner.pump.step()
        #expect(third.failed.keys.contains("\(submission.id)#0"))
        chunk = try #require(try rig.store.chunks(submissionID: submission.id).first)
        #expect(chunk.state == .failed)
        #expect(try rig.store.auditRecords().filter { $0.action == SubmissionPump.requeueAuditAction }.count == 1)
        #expect(try rig.store.submission(id: submission.id)?.state == .failed)
        #expect(rig.emulator.counters().batchesCreated == 2)
    }

    @Test func lostCreateResponsesMakeExactlyOneBatchPerChunk() async throws {
        // A dropped connection is only noticed at the client's timeout; keep it short.
        let rig = try await Rig.start(timeout: 2)
        defer { Task { await rig.stop() } }
        rig.emulator.faults.add(FaultRule(.lostResponse(), endpoint: "POST /v1/batches", count: 1))
        rig.emulator.faults.add(FaultRule(.lostResponse(status: 502), endpoint: "POST /v1/batches", count: 2))
        let path = rig.input(6)
        let (submission, report) = try #require(Self.batchOutcome(
            try await rig.runner(chunkLimits: ChunkLimits(maxRequests: 2)).run(.init(path: path, workload: "w", lane: .batch))))
        #expect(report.created.count == 3)
        #expect(rig.emulator.counters().batchesCreated == 3)
        let ids = try rig.store.chunks(submissionID: submission.id).compactMap(\.batchID)
        #expect(Set(ids).count == 3)
    }

    /// Forwards to the emulator until the Nth create reached it; from then on the "process is dead":
    /// that create's answer and every later call fail.
    final class DyingAPI: BatchAPI {
        struct Killed: Error {}
        let inner: any BatchAPI
        let dieAfterCreate: Int
        let creates = Mutex(0)
        var dead: Bool { creates.withLock { $0 >= dieAfterCreate } }
        init(inner: any BatchAPI, dieAfterCreate: Int) { self.inner = inner; self.dieAfterCreate = dieAfterCreate }
        func listBatches(after: String?, limit: Int) async throws -> BatchPage { if dead { throw Killed() }; return try await inner.listBatches(after: after, limit: limit) }
        func retrieveBatch(id: String) async throws -> Batch { if dead { throw Killed() }; return try await inner.retrieveBatch(id: id) }
        func createBatch(_ request: CreateBatchRequest) async throws -> Batch {
            let batch = try await inner.createBatch(request)
            if creates.withLock({ $0 += 1; return $0 }) == dieAfterCreate { throw Killed() }
            return batch
        }
        func cancelBatch(id: String) async throws -> Batch { try await inner.cancelBatch(id: id) }
        func uploadFile(at path: URL, purpose: String) async throws -> FileObject { if dead { throw Killed() }; return try await inner.uploadFile(at: path, purpose: purpose) }
        func retrieveFile(id: String) async throws -> FileObject { try await inner.retrieveFile(id: id) }
        func downloadFileContent(id: String, to destination: URL) async throws -> Int64 { try await inner.downloadFileContent(id: id, to: destination) }
        func deleteFile(id: String) async throws { try await inner.deleteFile(id: id) }
    }

    @Test func aKilledSubmitResumesWithoutDuplicateBatches() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.input(6)
        let limits = ChunkLimits(maxRequests: 2)
        let request = SubmissionRunner.Request(path: path, workload: "w", lane: .batch)
        await #expect(throws: DyingAPI.Killed.self) {
            _ = try await rig.runner(api: DyingAPI(inner: rig.client, dieAfterCreate: 2), chunkLimits: limits).run(request)
        }
        let submission = try #require(try rig.store.submissions().first)
        #expect(try rig.store.chunks(submissionID: submission.id).map(\.state) == [.created, .creating, .uploading])
        #expect(rig.emulator.counters().batchesCreated == 2)

        let resumed = try await rig.runner(chunkLimits: limits).run(request)
        guard case .batch(let again, let wasResumed, let report) = resumed else { Issue.record("expected batch"); return }
        #expect(wasResumed)
        #expect(again.id == submission.id)
        #expect(report.created.count == 2)
        #expect(try rig.store.chunks(submissionID: submission.id).allSatisfy { $0.state == .created })
        #expect(rig.emulator.counters().batchesCreated == 3)
        #expect(try rig.store.submissions().count == 1)
    }

    @Test func dryRunPlansWithoutSending() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.input(5)
        let outcome = try await rig.runner(limits: AdmissionLimits(["gpt-4o-mini": 1_000_000]), chunkLimits: ChunkLimits(maxRequests: 2))
            .run(.init(path: path, workload: "w", lane: .auto, dryRun: true))
        guard case .plan(let plan, let lane, let reason) = outcome else { Issue.record("expected a plan"); return }
        #expect(lane == .batch)   // RoutingPolicy() default class is scheduled -> batch
        #expect(reason.contains("default class"))
        #expect(plan.rows.count == 3)
        #expect(plan.rows.allSatisfy { $0.admitAt != nil && $0.inputCost["batch"] != nil && $0.inputCost["realtime"] != nil })
        #expect(rig.emulator.counters()["POST /v1/files"] == 0)
        #expect(try rig.store.submissions().isEmpty)
    }

    @Test func aRealtimeSubmissionWritesResultsAndRecordsRealtimeSpend() async throws {
        let rig = try await Rig.start()
        defer { Task { await rig.stop() } }
        let path = rig.input(6)
        let outcome = try await rig.runner().run(.init(path: path, workload: "chat", lane: .realtime))
        guard case .realtime(let submission, _, let result) = outcome else { Issue.record("expected realtime, got \(outcome)"); return }
        #expect(result.succeeded == 6)
        #expect(try String(contentsOfFile: result.resultsPath, encoding: .utf8).split(separator: "\n").count == 6)
        #expect(try rig.store.submission(id: submission.id)?.state == .done)
        let day = CalendarDay(unixSeconds: rig.emulator.clock.unixNow(), in: CalendarDay.utc)
        let rows = try rig.store.spendRows(from: day, to: day).filter { $0.source == .realtimeExec }
        #expect(rows.count == 1)
        #expect(rows.first?.lane == .realtime)
        #expect(rows.first?.workload == "chat")
        #expect(rows.first?.usage.inputTokens == result.usageByModel.values.first?.inputTokens)
        #expect(rows.first?.requests == 6)
    }

    @Test func projectRateLimitsComeFromTheAdminEndpoint() async throws {
        let rig = try await Rig.start { $0.tokenLimits = ["gpt-4o-mini": 123_456] }
        defer { Task { await rig.stop() } }
        let admin = OpenAIClient(options: OpenAIClientOptions(baseURL: rig.emulator.baseURL, apiKey: Secret(rig.emulator.adminKey)),
                                 sleeper: RetrySleeper { _ in }, clock: rig.emulator.clock)
        let limits = try await admin.projectBatchTokenLimits(projectID: rig.emulator.projectID)
        #expect(limits.limit(for: "gpt-4o-mini") == 123_456)
    }
}
