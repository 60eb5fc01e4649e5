import Foundation
import FlyingFox
import FlyingSocks
import Synchronization
@testable import BatchKit

/// A scripted HTTP server on an ephemeral loopback port, for driving `OpenAIClient` through faults.
///
/// Each request is recorded, then answered by the script, which may respond, or drop the connection
/// after sending headers (the client sees the response lost mid-way).
final class APIStubServer: Sendable {
    /// A request as the server received it.
    struct Received: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var headers: [String: String]
        var body: Data
        /// The client's port: equal ports mean one reused connection.
        var clientPort: UInt16?

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// What the script answers.
    enum Reply: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: Data = Data())
        /// Sends the body of a file, streamed.
        case file(URL)
        /// Sends a 200 header promising a body, then closes the connection.
        case drop

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Reply {
            .respond(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Data(text.utf8))
        }
    }

    typealias Script = @Sendable (_ request: Received, _ index: Int) async throws -> Reply

    private let server: HTTPServer
    private let task: Task<Void, Error>
    private let log: RequestLog
    let port: UInt16

    /// The API root to give the client.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)/v1")! }

    /// Requests received so far, in order.
    var requests: [Received] { log.all }

    private init(server: HTTPServer, task: Task<Void, Error>, log: RequestLog, port: UInt16) {
        self.server = server; self.task = task; self.log = log; self.port = port
    }

    static func start(_ script: @escaping Script) async throws -> APIStubServer {
        let log = RequestLog()
        let server = HTTPServer(
            address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 60, logger: .disabled,
            handler: ClosureHTTPHandler { request in
                var query: [String: String] = [:]
                for item in request.query { query[item.name] = item.value }
                var headers: [String: String] = [:]
                for (k, v) in request.headers { headers[k.rawValue] = v }
                let body = try await request.bodyData
                var path = request.path
                if path.hasPrefix("/v1") { path.removeFirst(3) }
                var clientPort: UInt16? = nil
                if case .ip4(_, let port)? = request.remoteAddress { clientPort = port }
                let r = Received(
                    method: request.method.rawValue, path: path, query: query, headers: headers, body: body,
                    clientPort: clientPort)
                let index = log.append(r)
                switch try await script(r, index) {
                case .respond(let status, let headers, let body):
                    var h = HTTPHeaders()
                    for (k, v) in headers { h[HTTPHeader(k)] = v }
                    return HTTPResponse(statusCode: HTTPStatusCode(status, phrase: "Stub"), headers: h, body: body)
                case .file(let url):
                    return HTTPResponse(
                        statusCode: .ok, headers: [.contentType: "application/octet-stream"],
                        body: try HTTPBodySequence(file: url, suggestedBufferSize: 64 * 1024))
                case .drop:
                    return HTTPResponse(
                        statusCode: .ok, headers: [.contentType: "application/json"],
                        body: HTTPBodySequence(from: DroppingBytes(), count: 512))
                }
            })
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port) = await server.listeningAddress else {
            throw SocketError.unsupportedAddress
        }
        return APIStubServer(server: server, task: task, log: log, port: port)
    }

    func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
    }
}

/// The requests a stub server received, shared between its handler and the test.
private final class RequestLog: Sendable {
    private let items = Mutex<[APIStubServer.Received]>([])

    var all: [APIStubServer.Received] { items.withLock { $0 } }

    func append(_ r: APIStubServer.Received) -> Int {
        items.withLock { $0.append(r); return $0.count - 1 }
    }
}

/// A response body that fails on first read, so the server closes the connection after the headers.
struct DroppingBytes: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    struct Dropped: Error {}

    func makeAsyncIterator() -> Iterator { Iterator() }

    struct Iterator: AsyncBufferedIteratorProtocol {
        typealias Buffer = [UInt8]
        mutating func next() async throws -> UInt8? { throw Dropped() }
        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? { throw Dropped() }
    }
}

/// Records retry waits instead of sleeping.
final class RecordingSleeper: Sendable {
    private let waits = Mutex<[Double]>([])
    var recorded: [Double] { waits.withLock { $0 } }
    var sleeper: RetrySleeper { RetrySleeper { [self] s in waits.withLock { $0.append(s) } } }
}

/// Test fixtures shared by the API tests.
enum APIFixtures {
    static let key = Secret("sk-test-0123456789abcdefWXYZ")

    static func client(
        _ server: APIStubServer, sleeper: RecordingSleeper, maxRetries: Int = 2, timeout: Double = 10
    ) -> OpenAIClient {
        OpenAIClient(
            options: OpenAIClientOptions(
                baseURL: server.baseURL, apiKey: key, organization: "org-test", project: "proj_test",
                timeoutSeconds: timeout, retry: RetryPolicy(maxRetries: maxRetries, random: { 0 })),
            sleeper: sleeper.sleeper)
    }

    /// A batch object as the provider encodes it.
    static func batchJSON(id: String, status: String = "validating", createdAt: Int64 = 1_767_225_600, metadata: [String: String] = [:]) -> String {
        let meta = metadata.isEmpty ? "null" : "{" + metadata.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        return """
            {"id": "\(id)", "object": "batch", "endpoint": "/v1/chat/completions", "errors": null,
             "input_file_id": "file-in", "completion_window": "24h", "status": "\(status)",
             "output_file_id": null, "error_file_id": null, "created_at": \(createdAt),
             "in_progress_at": null, "expires_at": \(createdAt + 86_400), "finalizing_at": null,
             "completed_at": null, "failed_at": null, "expired_at": null, "cancelling_at": null,
             "cancelled_at": null, "request_counts": {"total": 0, "completed": 0, "failed": 0},
             "metadata": \(meta)}
            """
    }

    static func listJSON(_ batches: [String], ids: [String], hasMore: Bool) -> String {
        """
        {"object": "list", "data": [\(batches.joined(separator: ","))],
         "first_id": \(ids.first.map { "\"\($0)\"" } ?? "null"), "last_id": \(ids.last.map { "\"\($0)\"" } ?? "null"),
         "has_more": \(hasMore)}
        """
    }

    static func errorJSON(_ message: String, type: String, code: String?) -> String {
        """
        {"error": {"message": "\(message)", "type": "\(type)", "param": null, "code": \(code.map { "\"\($0)\"" } ?? "null")}}
        """
    }
}
