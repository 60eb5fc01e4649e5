import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `OpenAIClient` and `BatchCreator` against the in-process emulator over loopback.
///
/// The emulator encodes from its own state (not BatchKit's types), so these tests catch wire mistakes
/// both sides could otherwise share.
@Suite struct APIEmulatorTests {
    static func client(_ emulator: EmulatorHarness, sleeper: RecordingSleeper, key: String? = nil) -> OpenAIClient {
        OpenAIClient(
            options: OpenAIClientOptions(
                baseURL: emulator.baseURL, apiKey: Secret(key ?? emulator.projectKey), project: emulator.projectID,
                timeoutSeconds: 10, retry: RetryPolicy(maxRetries: 2, random: { 0 })),
            sleeper: sleeper.sleeper, clock: emulator.clock)
    }

    static func input(lines: Int, in dir: TemporaryDirectory) throws -> URL {
        let url = dir.url.appendingPathComponent("input.jsonl")
        var text = ""
        for i in 0..<lines {
            text += #"{"custom_id": "req-\#(i)", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Summarise ticket \#(i)"}], "max_tokens": 50}}"# + "\n"
        }
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Records intents in memory.
    final class Recorder: CreateIntentRecorder {
        func recordIntent(_ intent: CreateIntent) async throws {}
        func markResult(jobID: String, _ result: CreateIntentResult) async throws {}
    }

    @Test func fullLifeCycleUploadCreatePollDownloadDelete() async throws {
        let emulator = try await EmulatorHarness.start(configure: { $0.requestFailureRate = 0 })
        let dir = try TemporaryDirectory()
        let client = Self.client(emulator, sleeper: RecordingSleeper())
        let source = try Self.input(lines: 25, in: dir)
        let file = try await client.uploadFile(at: source, purpose: "batch")
        #expect(file.purpose == "batch")
        #expect(file.bytes == Int64(try Data(contentsOf: source).count))
        let creator = BatchCreator(api: client, recorder: Recorder(), clock: emulator.clock)
        let outcome = try await creator.create(
            jobID: "job-life", request: CreateBatchRequest(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: ["workload": "tickets"]))
        guard case .created(let created) = outcome else { Issue.record("expected .created"); await emulator.stop(); return }
        #expect(created.status == .validating)
        #expect(created.metadata[MetadataKey.jobID] == "job-life")
        var batch = created
        var seen: [BatchStatus] = [batch.status]
        for _ in 0..<200 where !batch.status.isTerminal {
            emulator.advance(seconds: 120)
            batch = try await client.retrieveBatch(id: created.id)
            if seen.last != batch.status { seen.append(batch.status) }
        }
        #expect(seen == [.validating, .inProgress, .finalizing, .completed])
        #expect(batch.requestCounts.total == 25)
        #expect(batch.requestCounts.completed == 25)
        let outputID = try #require(batch.outputFileID)
        let destination = dir.url.appendingPathComponent("results/output.jsonl")
        let bytes = try await client.downloadFileContent(id: outputID, to: destination)
        let lines = try String(contentsOf: destination, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 25)
        #expect(bytes == Int64(try Data(contentsOf: destination).count))
        let ids = Set(lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["custom_id"] as? String })
        #expect(ids == Set((0..<25).map { "req-\($0)" }))
        try await client.deleteFile(id: file.id)
        await #expect(throws: BatchKit.APIError.self) { _ = try await client.retrieveFile(id: file.id) }
        await emulator.stop()
    }

    @Test func lostCreateResponseYieldsExactlyOneBatch() async throws {
        let emulator = try await EmulatorHarness.start(configure: { $0.requestFailureRate = 0 })
        let dir = try TemporaryDirectory()
        let client = Self.client(emulator, sleeper: RecordingSleeper())
        let file = try await client.uploadFile(at: try Self.input(lines: 3, in: dir), purpose: "batch")
        emulator.faults.add(FaultRule(.lostResponse(), endpoint: "POST /v1/batches"))
        let creator = BatchCreator(api: client, recorder: Recorder(), clock: emulator.clock)
        let outcome = try await creator.create(
            jobID: "job-lost", request: CreateBatchRequest(inputFileID: file.id, endpoint: "/v1/chat/completions"))
        guard case .reconciled(let batch, let duplicates) = outcome else { Issue.record("expected .reconciled, got \(outcome)"); await emulator.stop(); return }
        #expect(duplicates.isEmpty)
        #expect(emulator.counters().batchesCreated == 1)
        #expect(emulator.counters()["POST /v1/batches"] == 1)
        let all = try await client.listAllBatches()
        #expect(all.filter { $0.metadata[MetadataKey.jobID] == "job-lost" }.map(\.id) == [batch.id])
        await emulator.stop()
    }

    @Test func lostCreateResponseWith500YieldsExactlyOneBatch() async throws {
        let emulator = try await EmulatorHarness.start(configure: { $0.requestFailureRate = 0 })
        let dir = try TemporaryDirectory()
        let client = Self.client(emulator, sleeper: RecordingSleeper())
        let file = try await client.uploadFile(at: try Self.input(lines: 3, in: dir), purpose: "batch")
        emulator.faults.add(FaultRule(.lostResponse(status: 500), endpoint: "POST /v1/batches"))
        let outcome = try await BatchCreator(api: client, recorder: Recorder(), clock: emulator.clock).create(
            jobID: "job-500", request: CreateBatchRequest(inputFileID: file.id, endpoint: "/v1/chat/completions"))
        #expect({ if case .reconciled = outcome { true } else { false } }())
        #expect(emulator.counters().batchesCreated == 1)
        await emulator.stop()
    }

    @Test func faultsAreRetriedOrReported() async throws {
        let emulator = try await EmulatorHarness.start(configure: { $0.requestFailureRate = 0 })
        let sleeper = RecordingSleeper()
        let client = Self.client(emulator, sleeper: sleeper)
        emulator.faults.add(FaultRule(.status(429, retryAfter: 2), endpoint: "GET /v1/batches"))
        _ = try await client.listBatches(after: nil, limit: 10)
        #expect(sleeper.recorded == [2])
        // The emulator applies every queued fault to the next matching request, so one at a time.
        emulator.faults.add(FaultRule(.status(500), endpoint: "GET /v1/batches"))
        _ = try await client.listBatches(after: nil, limit: 10)
        emulator.faults.add(FaultRule(.dropConnection, endpoint: "GET /v1/batches"))
        _ = try await client.listBatches(after: nil, limit: 10)
        #expect(emulator.counters()["GET /v1/batches"] == 6)
        // On Linux, libcurl itself re-sends a GET whose reused connection closed without a byte, so the
        // drop may cost no retry of ours.
        #expect(Array(sleeper.recorded.prefix(2)) == [2, 0.5])
        emulator.faults.add(FaultRule(.malformedBody, endpoint: "GET /v1/batches"))
        let error = await #expect(throws: BatchKit.APIError.self) { _ = try await client.listBatches(after: nil, limit: 10) }
        #expect(error?.kind == .decoding)
        await emulator.stop()
    }

    @Test func wrongKeyIsAuthentication() async throws {
        let emulator = try await EmulatorHarness.start()
        let client = Self.client(emulator, sleeper: RecordingSleeper(), key: "sk-wrong-0123456789abcdef")
        let error = await #expect(throws: BatchKit.APIError.self) { _ = try await client.listBatches(after: nil, limit: 1) }
        #expect(error?.kind == .authentication)
        #expect(error?.statusCode == 401)
        #expect(error.map { !$0.description.contains("0123456789abcdef") } == true)
        await emulator.stop()
    }

    @Test func paginationAcrossManyPagesMatchesTheEmulator() async throws {
        let emulator = try await EmulatorHarness.start(configure: { $0.requestFailureRate = 0 })
        let dir = try TemporaryDirectory()
        let client = Self.client(emulator, sleeper: RecordingSleeper())
        let file = try await client.uploadFile(at: try Self.input(lines: 2, in: dir), purpose: "batch")
        var created: [String] = []
        for i in 0..<45 {
            let b = try await client.createBatch(CreateBatchRequest(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: ["n": "\(i)"]))
            created.append(b.id)
            emulator.advance(seconds: 1)
        }
        let before = emulator.counters()["GET /v1/batches"]
        let all = try await client.listAllBatches(pageSize: 10)
        #expect(all.map(\.id) == created.reversed())
        #expect(emulator.counters()["GET /v1/batches"] - before == 5)
        let cancelled = try await client.cancelBatch(id: created[0])
        #expect(cancelled.status == .cancelling || cancelled.status == .cancelled)
        await emulator.stop()
    }
}
