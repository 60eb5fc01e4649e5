import Foundation
import Synchronization
import Testing
@testable import BatchKit

/// `OpenAIClient` against a scripted loopback server: paths, headers, errors, retries, streaming.
@Suite struct APIClientTests {
    @Test func retrieveSendsAuthOrgProjectAndDecodes() async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(200, APIFixtures.batchJSON(id: "batch_1", status: "in_progress"), headers: ["x-request-id": "req_ok"])
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let batch = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "batch_1")
        #expect(batch.id == "batch_1")
        #expect(batch.status == .inProgress)
        let r = try #require(server.requests.first)
        #expect(r.method == "GET")
        #expect(r.path == "/batches/batch_1")
        #expect(r.header("Authorization") == "Bearer \(APIFixtures.key.revealForAuthorizationHeader())")
        #expect(r.header("OpenAI-Organization") == "org-test")
        #expect(r.header("OpenAI-Project") == "proj_test")
    }

    @Test func unauthorizedIsTypedRedactedAndNotRetried() async throws {
        let raw = APIFixtures.key.revealForAuthorizationHeader()
        let server = try await APIStubServer.start { _, _ in
            .json(
                401, APIFixtures.errorJSON("Incorrect API key provided: \(raw).", type: "invalid_request_error", code: "invalid_api_key"),
                headers: ["x-request-id": "req_401"])
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper).listBatches(after: nil, limit: 20)
        }
        let e = try #require(error)
        #expect(e.kind == .authentication)
        #expect(e.statusCode == 401)
        #expect(e.code == "invalid_api_key")
        #expect(e.type == "invalid_request_error")
        #expect(e.requestID == "req_401")
        #expect(!e.description.contains(raw))
        #expect(!String(reflecting: e).contains(raw))
        #expect(e.description.contains("OPENAI_API_KEY"))
        #expect(server.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    /// (headers of the 429, expected wait)
    static let retryAfterCases: [([String: String], Double)] = [
        (["Retry-After": "3"], 3),
        (["retry-after-ms": "1500"], 1.5),
        (["retry-after-ms": "250", "Retry-After": "9"], 0.25),
        ([:], 0.5),
    ]

    @Test(arguments: retryAfterCases)
    func rateLimitHonoursRetryAfter(headers: [String: String], wait: Double) async throws {
        let server = try await APIStubServer.start { _, index in
            index == 0
                ? .json(429, APIFixtures.errorJSON("Rate limit reached for requests", type: "requests", code: "rate_limit_exceeded"), headers: headers)
                : .json(200, APIFixtures.batchJSON(id: "batch_2"))
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let batch = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "batch_2")
        #expect(batch.id == "batch_2")
        #expect(sleeper.recorded == [wait])
        #expect(server.requests.count == 2)
    }

    @Test func retryAfterBeyondCapIsReportedNotSlept() async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(429, APIFixtures.errorJSON("Rate limit reached", type: "requests", code: "rate_limit_exceeded"), headers: ["Retry-After": "600"])
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "b")
        }
        #expect(error?.kind == .rateLimited(retryAfter: 600))
        #expect(error?.retryAfter == 600)
        #expect(server.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test func quota429IsReportedNotRetried() async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(429, APIFixtures.errorJSON(
                "You exceeded your current quota, please check your plan and billing details.",
                type: "insufficient_quota", code: "insufficient_quota"))
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper).listBatches(after: nil, limit: 5)
        }
        #expect(error?.kind == .quotaExceeded)
        #expect(error?.description.contains("Retrying will not help") == true)
        #expect(server.requests.count == 1)
        #expect(sleeper.recorded.isEmpty)
    }

    @Test func serverErrorsBackOffThenSucceed() async throws {
        let server = try await APIStubServer.start { _, index in
            switch index {
            case 0: return .json(500, APIFixtures.errorJSON("The server had an error", type: "server_error", code: nil))
            case 1: return .respond(status: 503, body: Data("<html>overloaded</html>".utf8))
            default: return .json(200, APIFixtures.batchJSON(id: "batch_3"))
            }
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let batch = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "batch_3")
        #expect(batch.id == "batch_3")
        #expect(sleeper.recorded == [0.5, 1.0])
        #expect(server.requests.count == 3)
    }

    @Test func serverErrorsExhaustRetries() async throws {
        let server = try await APIStubServer.start { _, _ in .json(502, "{}", headers: ["x-request-id": "req_502"]) }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper, maxRetries: 3).retrieveBatch(id: "b")
        }
        #expect(error?.kind == .server)
        #expect(error?.requestID == "req_502")
        #expect(server.requests.count == 4)
        #expect(sleeper.recorded == [0.5, 1, 2])
    }

    /// (status, x-should-retry, expected request count with max 2 retries)
    static let shouldRetryCases: [(Int, String, Int)] = [
        (500, "false", 1),
        (400, "true", 3),
        (404, "false", 1),
    ]

    @Test(arguments: shouldRetryCases)
    func xShouldRetryOverrides(status: Int, header: String, requests: Int) async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(status, APIFixtures.errorJSON("nope", type: "x", code: nil), headers: ["x-should-retry": header])
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "b")
        }
        #expect(server.requests.count == requests)
    }

    @Test func droppedConnectionIsRetried() async throws {
        let server = try await APIStubServer.start { _, index in
            index == 0 ? .drop : .json(200, APIFixtures.batchJSON(id: "batch_4"))
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let batch = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "batch_4")
        #expect(batch.id == "batch_4")
        #expect(server.requests.count == 2)
        #expect(sleeper.recorded.count == 1)
    }

    @Test func droppedConnectionIsConnectionLost() async throws {
        let server = try await APIStubServer.start { _, _ in .drop }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper, maxRetries: 0).retrieveBatch(id: "b")
        }
        #expect(error?.kind == .connectionLost)
        #expect(error?.provesNotProcessed == false)
    }

    @Test func malformedBodyIsADecodingErrorNotRetried() async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(200, #"{"id": "batch_5", "status": "#, headers: ["x-request-id": "req_bad"])
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper).retrieveBatch(id: "batch_5")
        }
        #expect(error?.kind == .decoding)
        #expect(error?.requestID == "req_bad")
        #expect(server.requests.count == 1)
    }

    @Test func connectionRefusedIsConnectionFailedAndRetried() async throws {
        // Start and stop a server to get a loopback port nothing listens on.
        let server = try await APIStubServer.start { _, _ in .json(200, "{}") }
        let base = server.baseURL
        await server.stop()
        let sleeper = RecordingSleeper()
        let client = OpenAIClient(
            options: OpenAIClientOptions(baseURL: base, apiKey: APIFixtures.key, timeoutSeconds: 5, retry: RetryPolicy(random: { 0 })),
            sleeper: sleeper.sleeper)
        let error = await #expect(throws: APIError.self) { _ = try await client.retrieveBatch(id: "b") }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.provesNotProcessed == true)
        #expect(sleeper.recorded == [0.5, 1.0])
    }

    @Test func createIsNotRetriedAfterAServerError() async throws {
        let server = try await APIStubServer.start { _, _ in .json(500, APIFixtures.errorJSON("boom", type: "server_error", code: nil)) }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: sleeper)
                .createBatch(CreateBatchRequest(inputFileID: "file-1", endpoint: "/v1/chat/completions"))
        }
        #expect(server.requests.count == 1)
    }

    @Test func createIsRetriedAfterARateLimit() async throws {
        let server = try await APIStubServer.start { r, index in
            index == 0
                ? .json(429, APIFixtures.errorJSON("Rate limit", type: "requests", code: "rate_limit_exceeded"), headers: ["Retry-After": "1"])
                : .json(200, APIFixtures.batchJSON(id: "batch_c"))
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let batch = try await APIFixtures.client(server, sleeper: sleeper)
            .createBatch(CreateBatchRequest(inputFileID: "file-1", endpoint: "/v1/chat/completions", metadata: ["workload": "w"]))
        #expect(batch.id == "batch_c")
        #expect(server.requests.count == 2)
        let sent = try JSONSerialization.jsonObject(with: server.requests[1].body) as? [String: Any]
        #expect(sent?["input_file_id"] as? String == "file-1")
        #expect(sent?["completion_window"] as? String == "24h")
        #expect((sent?["metadata"] as? [String: String])?["workload"] == "w")
    }

    @Test func createUsesAConnectionOfItsOwn() async throws {
        let server = try await APIStubServer.start { r, _ in
            .json(200, APIFixtures.batchJSON(id: r.method == "POST" ? "batch_new" : "batch_x"))
        }
        defer { Task { await server.stop() } }
        let client = APIFixtures.client(server, sleeper: RecordingSleeper())
        _ = try await client.retrieveBatch(id: "batch_x")
        _ = try await client.retrieveBatch(id: "batch_x")
        _ = try await client.createBatch(CreateBatchRequest(inputFileID: "f", endpoint: "/v1/responses"))
        let ports = server.requests.map(\.clientPort)
        #expect(ports.allSatisfy { $0 != nil })
        // The two reads may share a pooled connection; the create must not reuse it.
        #expect(!ports.prefix(2).contains(ports[2]))
    }

    @Test func listAllBatchesFollowsCursorsAcrossManyPages() async throws {
        let ids = (0..<250).map { String(format: "batch_%04d", 249 - $0) }  // newest first
        let server = try await APIStubServer.start { r, _ in
            let limit = Int(r.query["limit"] ?? "20") ?? 20
            let start = r.query["after"].flatMap { ids.firstIndex(of: $0).map { $0 + 1 } } ?? 0
            let slice = Array(ids[start..<min(start + limit, ids.count)])
            return .json(200, APIFixtures.listJSON(
                slice.map { APIFixtures.batchJSON(id: $0) }, ids: slice, hasMore: start + limit < ids.count))
        }
        defer { Task { await server.stop() } }
        let sleeper = RecordingSleeper()
        let all = try await APIFixtures.client(server, sleeper: sleeper).listAllBatches(pageSize: 7)
        #expect(all.map(\.id) == ids)
        #expect(server.requests.count == 36)  // ceil(250 / 7)
        let afters = server.requests.map { $0.query["after"] }
        #expect(afters.first! == nil)
        #expect(afters.dropFirst().map { $0! } == stride(from: 6, to: 249, by: 7).map { ids[$0] })
    }

    @Test func listAllBatchesStopsWhereTold() async throws {
        let ids = (0..<30).map { "batch_\(100 - $0)" }
        let server = try await APIStubServer.start { r, _ in
            let start = r.query["after"].flatMap { ids.firstIndex(of: $0).map { $0 + 1 } } ?? 0
            let slice = Array(ids[start..<min(start + 10, ids.count)])
            return .json(200, APIFixtures.listJSON(slice.map { APIFixtures.batchJSON(id: $0) }, ids: slice, hasMore: start + 10 < ids.count))
        }
        defer { Task { await server.stop() } }
        let all = try await APIFixtures.client(server, sleeper: RecordingSleeper())
            .listAllBatches(pageSize: 10, stop: { $0.id == "batch_88" })
        #expect(all.map(\.id) == Array(ids.prefix(12)))
        #expect(server.requests.count == 2)
    }

    @Test func listSkipsAnUnreadableBatchButKeepsTheRest() async throws {
        let server = try await APIStubServer.start { _, _ in
            .json(200, APIFixtures.listJSON(
                [APIFixtures.batchJSON(id: "batch_a"), #"{"object": "batch"}"#, APIFixtures.batchJSON(id: "batch_c", status: "paused_by_provider")],
                ids: ["batch_a", "batch_c"], hasMore: false))
        }
        defer { Task { await server.stop() } }
        let page = try await APIFixtures.client(server, sleeper: RecordingSleeper()).listBatches(after: nil, limit: 3)
        #expect(page.data.map(\.id) == ["batch_a", "batch_c"])
        #expect(page.data[1].status.rawValue == "paused_by_provider")
        #expect(!page.data[1].status.isTerminal)
    }

    @Test func uploadSendsMultipartIntact() async throws {
        let dir = try TemporaryDirectory()
        let source = dir.url.appendingPathComponent("input.jsonl")
        var bytes = [UInt8](repeating: 0, count: 3 * 1024 * 1024 + 17)
        var rng = SplitMix(seed: 42)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        try Data(bytes).write(to: source)
        let server = try await APIStubServer.start { r, _ in
            .json(200, #"{"id": "file-up", "object": "file", "bytes": \#(r.body.count), "created_at": 1, "filename": "input.jsonl", "purpose": "batch", "expires_at": null}"#)
        }
        defer { Task { await server.stop() } }
        let staging = dir.url.appendingPathComponent("staging")
        let client = OpenAIClient(
            options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key, stagingDirectory: staging),
            sleeper: RecordingSleeper().sleeper)
        let file = try await client.uploadFile(at: source, purpose: "batch")
        #expect(file.id == "file-up")
        let r = try #require(server.requests.first)
        #expect(r.method == "POST" && r.path == "/files")
        let contentType = try #require(r.header("Content-Type"))
        let boundary = try #require(contentType.components(separatedBy: "boundary=").last)
        let parts = MultipartParser.parse(r.body, boundary: boundary)
        #expect(parts.count == 2)
        #expect(parts.first { $0.name == "purpose" }.map { String(decoding: $0.body, as: UTF8.self) } == "batch")
        let filePart = try #require(parts.first { $0.name == "file" })
        #expect(filePart.filename == "input.jsonl")
        #expect(filePart.body == Data(bytes))
        // The temporary multipart body is cleaned up.
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging.path).isEmpty)
    }

    @Test func uploadOfAMissingFileIsAFileSystemError() async throws {
        let server = try await APIStubServer.start { _, _ in .json(200, "{}") }
        defer { Task { await server.stop() } }
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: RecordingSleeper())
                .uploadFile(at: URL(fileURLWithPath: "/nonexistent/batchtop/in.jsonl"), purpose: "batch")
        }
        #expect(error?.kind == .fileSystem)
        #expect(server.requests.isEmpty)
    }

    @Test func downloadStreamsToTheDestination() async throws {
        let dir = try TemporaryDirectory()
        let served = dir.url.appendingPathComponent("served.jsonl")
        var text = ""
        for i in 0..<40_000 { text += #"{"custom_id": "req-\#(i)", "response": {"status_code": 200}}"# + "\n" }
        try Data(text.utf8).write(to: served)
        let server = try await APIStubServer.start { _, _ in .file(served) }
        defer { Task { await server.stop() } }
        let destination = dir.url.appendingPathComponent("out/results.jsonl")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("old".utf8).write(to: destination)
        let count = try await APIFixtures.client(server, sleeper: RecordingSleeper())
            .downloadFileContent(id: "file-out", to: destination)
        #expect(server.requests.first?.path == "/files/file-out/content")
        #expect(count == Int64(text.utf8.count))
        #expect(try Data(contentsOf: destination) == Data(text.utf8))
        let siblings = try FileManager.default.contentsOfDirectory(atPath: destination.deletingLastPathComponent().path)
        #expect(siblings == ["results.jsonl"])
    }

    @Test func failedDownloadLeavesTheDestinationAlone() async throws {
        let dir = try TemporaryDirectory()
        let server = try await APIStubServer.start { _, _ in
            .json(404, APIFixtures.errorJSON("No such File object: file-x", type: "invalid_request_error", code: nil), headers: ["x-request-id": "req_404"])
        }
        defer { Task { await server.stop() } }
        let destination = dir.url.appendingPathComponent("results.jsonl")
        try Data("keep".utf8).write(to: destination)
        let error = await #expect(throws: APIError.self) {
            _ = try await APIFixtures.client(server, sleeper: RecordingSleeper()).downloadFileContent(id: "file-x", to: destination)
        }
        #expect(error?.kind == .notFound)
        #expect(error?.message.contains("No such File") == true)
        #expect(error?.requestID == "req_404")
        #expect(try Data(contentsOf: destination) == Data("keep".utf8))
    }

    @Test func cancelRetrieveFileAndDeleteUseTheirEndpoints() async throws {
        let server = try await APIStubServer.start { r, _ in
            switch (r.method, r.path) {
            case ("POST", "/batches/batch_9/cancel"): return .json(200, APIFixtures.batchJSON(id: "batch_9", status: "cancelling"))
            case ("GET", "/files/file-9"): return .json(200, #"{"id": "file-9", "object": "file", "bytes": 10, "created_at": 5, "filename": "o.jsonl", "purpose": "batch_output"}"#)
            case ("DELETE", "/files/file-9"): return .json(200, #"{"id": "file-9", "object": "file", "deleted": true}"#)
            default: return .json(404, APIFixtures.errorJSON("unknown route", type: "invalid_request_error", code: nil))
            }
        }
        defer { Task { await server.stop() } }
        let client = APIFixtures.client(server, sleeper: RecordingSleeper())
        #expect(try await client.cancelBatch(id: "batch_9").status == .cancelling)
        #expect(try await client.retrieveFile(id: "file-9").purpose == "batch_output")
        try await client.deleteFile(id: "file-9")
        #expect(server.requests.map { "\($0.method) \($0.path)" } == [
            "POST /batches/batch_9/cancel", "GET /files/file-9", "DELETE /files/file-9",
        ])
    }

    @Test func downloadRetriesAfterADropAndLeavesNoPartialFile() async throws {
        let dir = try TemporaryDirectory()
        let served = dir.url.appendingPathComponent("served.jsonl")
        try Data(String(repeating: "{\"custom_id\": \"x\"}\n", count: 5_000).utf8).write(to: served)
        let server = try await APIStubServer.start { _, index in index == 0 ? .drop : .file(served) }
        defer { Task { await server.stop() } }
        let out = dir.url.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let destination = out.appendingPathComponent("r.jsonl")
        let sleeper = RecordingSleeper()
        _ = try await APIFixtures.client(server, sleeper: sleeper).downloadFileContent(id: "file-r", to: destination)
        #expect(try Data(contentsOf: destination) == Data(contentsOf: served))
        #expect(server.requests.count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["r.jsonl"])
    }

    @Test func uploadRetryResendsTheWholeBody() async throws {
        let dir = try TemporaryDirectory()
        let source = dir.url.appendingPathComponent("in.jsonl")
        let content = Data(String(repeating: "{\"custom_id\": \"y\"}\n", count: 2_000).utf8)
        try content.write(to: source)
        let server = try await APIStubServer.start { _, index in
            index == 0
                ? .json(500, APIFixtures.errorJSON("boom", type: "server_error", code: nil))
                : .json(200, #"{"id": "file-2", "object": "file", "bytes": 1, "created_at": 1, "filename": "in.jsonl", "purpose": "batch"}"#)
        }
        defer { Task { await server.stop() } }
        _ = try await APIFixtures.client(server, sleeper: RecordingSleeper()).uploadFile(at: source, purpose: "batch")
        #expect(server.requests.count == 2)
        for r in server.requests {
            let boundary = try #require(r.header("Content-Type")?.components(separatedBy: "boundary=").last)
            #expect(MultipartParser.parse(r.body, boundary: boundary).first { $0.name == "file" }?.body == content)
        }
    }

    @Test func observerSeesEveryExchange() async throws {
        let server = try await APIStubServer.start { _, index in
            index == 0 ? .json(503, "{}", headers: ["x-request-id": "req_a"]) : .json(200, APIFixtures.batchJSON(id: "b"), headers: ["x-request-id": "req_b"])
        }
        defer { Task { await server.stop() } }
        let seen = Mutex<[APICallRecord]>([])
        let client = OpenAIClient(
            options: OpenAIClientOptions(baseURL: server.baseURL, apiKey: APIFixtures.key, retry: RetryPolicy(random: { 0 })),
            sleeper: RecordingSleeper().sleeper, observer: { record in seen.withLock { $0.append(record) } })
        _ = try await client.retrieveBatch(id: "b")
        let records = seen.withLock { $0 }
        #expect(records.map(\.statusCode) == [503, 200])
        #expect(records.map(\.requestID) == ["req_a", "req_b"])
        #expect(records.map(\.attempt) == [0, 1])
        #expect(records.first?.error?.kind == .server)
    }

    @Test func idsArePercentEncodedAsOnePathSegment() async throws {
        #expect(try OpenAIClient.pathComponent("../files/x", method: "GET", what: "batch id") == "..%2Ffiles%2Fx")
        #expect(try OpenAIClient.pathComponent("batch_abc-123", method: "GET", what: "batch id") == "batch_abc-123")
        #expect(throws: APIError.self) { try OpenAIClient.pathComponent("", method: "GET", what: "batch id") }
    }
}
