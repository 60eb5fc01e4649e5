import Foundation
import Synchronization
import Testing
@testable import BatchKit

/// `BatchCreator`: one intent, at most one batch, whatever happens to the create response.
@Suite struct APIBatchCreatorTests {
    static let now: Int64 = 1_767_225_600

    /// A provider that holds batches; its create may make the batch and then lose the answer.
    final class FakeProvider: Sendable {
        enum CreateFault: Sendable { case none, dropAfterCreating, failWithoutCreating(Int) }
        private let state = Mutex<(batches: [(id: String, createdAt: Int64, metadata: [String: String])], faults: [CreateFault])>(([], []))

        init(oldBatches: Int = 0, faults: [CreateFault]) {
            state.withLock {
                $0.faults = faults
                for i in 0..<oldBatches {
                    $0.batches.append((id: "batch_old_\(i)", createdAt: APIBatchCreatorTests.now - 100_000 + Int64(i), metadata: [:]))
                }
            }
        }

        func pushFault(_ fault: CreateFault) { state.withLock { $0.faults.append(fault) } }

        var batchCount: Int { state.withLock { $0.batches.count } }
        func tagged(_ jobID: String) -> [String] {
            state.withLock { $0.batches.filter { $0.metadata[MetadataKey.jobID] == jobID }.map(\.id) }
        }

        func handle(_ r: APIStubServer.Received) -> APIStubServer.Reply {
            switch (r.method, r.path) {
            case ("POST", "/batches"):
                let fault: CreateFault = state.withLock { $0.faults.isEmpty ? .none : $0.faults.removeFirst() }
                if case .failWithoutCreating(let status) = fault {
                    return .json(status, APIFixtures.errorJSON("failed", type: "server_error", code: nil))
                }
                let body = (try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any]
                let metadata = body?["metadata"] as? [String: String] ?? [:]
                let id = state.withLock { s -> String in
                    let id = "batch_new_\(s.batches.count)"
                    s.batches.append((id: id, createdAt: APIBatchCreatorTests.now + 2, metadata: metadata))
                    return id
                }
                if case .dropAfterCreating = fault { return .drop }
                return .json(200, APIFixtures.batchJSON(id: id, createdAt: APIBatchCreatorTests.now + 2, metadata: metadata))
            case ("GET", "/batches"):
                let newestFirst = state.withLock { $0.batches.reversed().map { $0 } }
                let limit = Int(r.query["limit"] ?? "20") ?? 20
                let start = r.query["after"].flatMap { a in newestFirst.firstIndex { $0.id == a }.map { $0 + 1 } } ?? 0
                let slice = Array(newestFirst[start..<min(start + limit, newestFirst.count)])
                return .json(200, APIFixtures.listJSON(
                    slice.map { APIFixtures.batchJSON(id: $0.id, createdAt: $0.createdAt, metadata: $0.metadata) },
                    ids: slice.map(\.id), hasMore: start + limit < newestFirst.count))
            default:
                return .json(404, APIFixtures.errorJSON("no route", type: "invalid_request_error", code: nil))
            }
        }
    }

    /// Records intents and results in memory, standing in for the Store.
    final class MemoryRecorder: CreateIntentRecorder {
        let events = Mutex<[String]>([])
        func recordIntent(_ intent: CreateIntent) async throws {
            events.withLock { $0.append("intent \(intent.jobID) at \(intent.createdAt) tag=\(intent.request.metadata?[MetadataKey.jobID] ?? "-")") }
        }
        func markResult(jobID: String, _ result: CreateIntentResult) async throws {
            let text: String = switch result {
            case .created(let id): "created \(id)"
            case .notCreated: "not created"
            case .unresolved: "unresolved"
            }
            events.withLock { $0.append(text) }
        }
        var all: [String] { events.withLock { $0 } }
    }

    static let request = CreateBatchRequest(inputFileID: "file-in", endpoint: "/v1/chat/completions", metadata: ["workload": "nightly-eval"])

    func run(_ provider: FakeProvider, pageSize: Int = 100, maxPages: Int = 10, jobID: String = "job-1")
        async throws -> (Result<BatchCreator.Outcome, Error>, APIStubServer, MemoryRecorder)
    {
        let server = try await APIStubServer.start { r, _ in provider.handle(r) }
        let recorder = MemoryRecorder()
        let creator = BatchCreator(
            api: APIFixtures.client(server, sleeper: RecordingSleeper()), recorder: recorder,
            clock: ManualClock(Date(timeIntervalSince1970: TimeInterval(Self.now))),
            reconcilePageSize: pageSize, reconcileMaxPages: maxPages)
        let result: Result<BatchCreator.Outcome, Error>
        do { result = .success(try await creator.create(jobID: jobID, request: Self.request)) }
        catch { result = .failure(error) }
        await server.stop()
        return (result, server, recorder)
    }

    @Test func plainCreateTagsAndRecords() async throws {
        let provider = FakeProvider(faults: [])
        let (result, server, recorder) = try await run(provider)
        guard case .created(let batch) = try result.get() else { Issue.record("expected .created"); return }
        #expect(batch.metadata[MetadataKey.jobID] == "job-1")
        #expect(batch.metadata["workload"] == "nightly-eval")
        #expect(provider.tagged("job-1") == [batch.id])
        #expect(recorder.all == ["intent job-1 at \(Self.now) tag=job-1", "created \(batch.id)"])
        #expect(server.requests.map(\.method) == ["POST"])
    }

    @Test func lostCreateResponseIsReconciledToExactlyOneBatch() async throws {
        let provider = FakeProvider(oldBatches: 250, faults: [.dropAfterCreating])
        let (result, server, recorder) = try await run(provider, pageSize: 20)
        guard case .reconciled(let batch, let duplicates) = try result.get() else { Issue.record("expected .reconciled"); return }
        #expect(duplicates.isEmpty)
        #expect(provider.tagged("job-1") == [batch.id])
        #expect(provider.batchCount == 251)
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
        // The listing stops at the first batch older than the intent (minus skew): one page, not thirteen.
        #expect(server.requests.filter { $0.method == "GET" }.count == 1)
        #expect(recorder.all.last == "created \(batch.id)")
    }

    @Test func ambiguousFailureWithNoBatchAllowsOneSafeRetry() async throws {
        let provider = FakeProvider(oldBatches: 3, faults: [.failWithoutCreating(500)])
        let (result, server, recorder) = try await run(provider)
        guard case .created(let batch) = try result.get() else { Issue.record("expected .created"); return }
        #expect(provider.tagged("job-1") == [batch.id])
        #expect(server.requests.map(\.method) == ["POST", "GET", "POST"])
        #expect(recorder.all.last == "created \(batch.id)")
    }

    @Test func twoAmbiguousFailuresWithNoBatchEndAsNotCreated() async throws {
        let provider = FakeProvider(faults: [.failWithoutCreating(502), .failWithoutCreating(503)])
        let (result, server, recorder) = try await run(provider)
        #expect(throws: APIError.self) { try result.get() }
        #expect(provider.batchCount == 0)
        #expect(server.requests.map(\.method) == ["POST", "GET", "POST", "GET"])
        #expect(recorder.all.last == "not created")
    }

    @Test func definiteRejectionIsNotReconciled() async throws {
        let provider = FakeProvider(faults: [.failWithoutCreating(400)])
        let (result, server, recorder) = try await run(provider)
        #expect(throws: APIError.self) { try result.get() }
        #expect(server.requests.map(\.method) == ["POST"])
        #expect(recorder.all.last == "not created")
    }

    @Test func listingBoundWithoutReachingTheIntentTimeIsUnresolved() async throws {
        // 50 recent foreign batches, read 2 pages of 10: the listing cannot prove absence.
        let provider = FakeProvider(faults: [])
        let server = try await APIStubServer.start { r, _ in provider.handle(r) }
        defer { Task { await server.stop() } }
        let client = APIFixtures.client(server, sleeper: RecordingSleeper())
        for i in 0..<50 {
            _ = try await client.createBatch(CreateBatchRequest(inputFileID: "f", endpoint: "/v1/embeddings", metadata: ["n": "\(i)"]))
        }
        let recorder = MemoryRecorder()
        let creator = BatchCreator(
            api: client, recorder: recorder, clock: ManualClock(Date(timeIntervalSince1970: TimeInterval(Self.now))),
            reconcilePageSize: 10, reconcileMaxPages: 2)
        provider.pushFault(.failWithoutCreating(500))
        let error = await #expect(throws: BatchCreateError.self) {
            _ = try await creator.create(jobID: "job-9", request: Self.request)
        }
        #expect(error?.jobID == "job-9")
        #expect(error?.description.contains("batchtop_job_id=job-9") == true)
        #expect(recorder.all.last == "unresolved")
        #expect(provider.tagged("job-9").isEmpty)
    }

    @Test func failingReconcileListingIsUnresolved() async throws {
        let server = try await APIStubServer.start { r, _ in
            r.method == "POST" ? .drop : .json(401, APIFixtures.errorJSON("bad key", type: "invalid_request_error", code: "invalid_api_key"))
        }
        defer { Task { await server.stop() } }
        let recorder = MemoryRecorder()
        let creator = BatchCreator(
            api: APIFixtures.client(server, sleeper: RecordingSleeper()), recorder: recorder, clock: ManualClock())
        let error = await #expect(throws: BatchCreateError.self) {
            _ = try await creator.create(jobID: "job-2", request: Self.request)
        }
        #expect(error?.reconcileError?.contains("authentication") == true)
        #expect(recorder.all.last == "unresolved")
    }

    /// A recorder whose intent write or result write fails.
    struct FailingRecorder: CreateIntentRecorder {
        struct Down: Error {}
        var failIntent: Bool
        func recordIntent(_ intent: CreateIntent) async throws { if failIntent { throw Down() } }
        func markResult(jobID: String, _ result: CreateIntentResult) async throws { throw Down() }
    }

    @Test func unrecordableIntentSendsNothing() async throws {
        let provider = FakeProvider(faults: [])
        let server = try await APIStubServer.start { r, _ in provider.handle(r) }
        defer { Task { await server.stop() } }
        let creator = BatchCreator(
            api: APIFixtures.client(server, sleeper: RecordingSleeper()), recorder: FailingRecorder(failIntent: true), clock: ManualClock())
        await #expect(throws: FailingRecorder.Down.self) { _ = try await creator.create(jobID: "job-3", request: Self.request) }
        #expect(server.requests.isEmpty)
        #expect(provider.batchCount == 0)
    }

    @Test func unrecordableResultStillReturnsTheBatch() async throws {
        let provider = FakeProvider(faults: [])
        let server = try await APIStubServer.start { r, _ in provider.handle(r) }
        defer { Task { await server.stop() } }
        let creator = BatchCreator(
            api: APIFixtures.client(server, sleeper: RecordingSleeper()), recorder: FailingRecorder(failIntent: false), clock: ManualClock())
        let outcome = try await creator.create(jobID: "job-4", request: Self.request)
        #expect(provider.tagged("job-4") == [outcome.batch.id])
    }

    /// (existing metadata, job id, accepted)
    static let tagCases: [([String: String]?, String, Bool)] = [
        (nil, "job-1", true),
        ([MetadataKey.jobID: "job-1"], "job-1", true),
        ([MetadataKey.jobID: "job-other"], "job-1", false),
        (Dictionary(uniqueKeysWithValues: (0..<15).map { ("k\($0)", "v") }), "job-1", true),
        (Dictionary(uniqueKeysWithValues: (0..<16).map { ("k\($0)", "v") }), "job-1", false),
        (nil, "", false),
        (nil, String(repeating: "x", count: 513), false),
    ]

    @Test(arguments: tagCases)
    func tagRespectsProviderLimits(metadata: [String: String]?, jobID: String, accepted: Bool) throws {
        let request = CreateBatchRequest(inputFileID: "f", endpoint: "/v1/responses", metadata: metadata)
        if accepted {
            let tagged = try BatchCreator.tag(request, jobID: jobID)
            #expect(tagged.metadata?[MetadataKey.jobID] == jobID)
        } else {
            #expect(throws: APIError.self) { try BatchCreator.tag(request, jobID: jobID) }
        }
    }
}

