import Foundation
import Logging

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenAI Batch and Files API over URLSession: the production `BatchAPI`.
///
/// Retries follow `RetryPolicy`, except `createBatch`, which retries only failures that prove no batch
/// was made (see `BatchCreator` for the ambiguous rest). Uploads stream from disk and downloads stream to
/// disk. Keys are sent in headers only and scrubbed from every error.
public final class OpenAIClient: BatchAPI {
    let options: OpenAIClientOptions
    let session: URLSession
    private let sleeper: RetrySleeper
    private let clock: any WallClock
    private let logger: Logger
    private let observer: (@Sendable (APICallRecord) -> Void)?

    /// The most bytes of an error body kept for its message.
    static let errorBodyLimit = 64 * 1024

    /// - Parameters:
    ///   - session: defaults to an ephemeral session (no cache, no cookies) with the options' timeout.
    ///   - sleeper: how retries wait; tests pass one that records instead of sleeping.
    ///   - observer: called after every HTTP exchange, on an arbitrary thread.
    public init(
        options: OpenAIClientOptions, session: URLSession? = nil, sleeper: RetrySleeper = .real,
        clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "batchtop.api"),
        observer: (@Sendable (APICallRecord) -> Void)? = nil
    ) {
        self.options = options
        self.session = session ?? Self.makeSession(timeout: options.timeoutSeconds)
        self.sleeper = sleeper; self.clock = clock; self.logger = logger; self.observer = observer
    }

    static func makeSession(timeout: Double) -> URLSession {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        config.httpCookieStorage = nil
        config.httpShouldSetCookies = false
        return URLSession(configuration: config)
    }

    // MARK: Batches

    public func listBatches(after: String?, limit: Int) async throws -> BatchPage {
        var query = [URLQueryItem(name: "limit", value: String(min(max(limit, 1), 100)))]
        if let after { query.append(URLQueryItem(name: "after", value: after)) }
        let (body, response) = try await exchange("GET", "/batches", query: query, policy: options.retry) { request in
            try await self.session.data(for: request)
        }
        let list = try decode(BatchListWire.self, from: body, response: response, method: "GET", path: "/batches")
        if list.skipped > 0 {
            logger.warning("skipped \(list.skipped) unreadable batch(es) in a list page")
        }
        var page = list.page
        page.responseBytes = body.count
        return page
    }

    public func retrieveBatch(id: String) async throws -> Batch {
        try await json("GET", "/batches/\(try Self.pathComponent(id, method: "GET", what: "batch id"))")
    }

    /// Creates a batch with one attempt, plus retries only for failures that prove nothing was created
    /// (connection never opened, rate limited). Use `BatchCreator` to resolve the ambiguous failures.
    public func createBatch(_ request: CreateBatchRequest) async throws -> Batch {
        let body = try JSONEncoder().encode(request)
        // Rule: a create goes over a connection of its own, why: libcurl (URLSession on Linux) silently
        // re-sends a request when a reused keep-alive connection closes before any response byte; for
        // POST /batches that is a blind retry, exactly what must never happen.
        let fresh = URLSession(configuration: session.configuration)
        defer { fresh.finishTasksAndInvalidate() }
        return try await json("POST", "/batches", body: body, createSafe: true, session: fresh)
    }

    public func cancelBatch(id: String) async throws -> Batch {
        try await json("POST", "/batches/\(try Self.pathComponent(id, method: "POST", what: "batch id"))/cancel")
    }

    // MARK: Files

    public func uploadFile(at path: URL, purpose: String) async throws -> FileObject {
        let apiPath = "/files"
        let form: MultipartFormFile
        do {
            let staging = options.stagingDirectory ?? FileManager.default.temporaryDirectory
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            form = try MultipartFormFile.write(
                fields: [("purpose", purpose)], fileField: "file", file: path, filename: path.lastPathComponent,
                in: staging)
        } catch {
            throw APIError(
                kind: .fileSystem, message: "cannot read \(path.path) for upload: \(SystemErrorText.reason(error))",
                method: "POST", path: apiPath)
        }
        defer { form.remove() }
        // The same body file is re-sent on a retry; it is removed only when the call is over.
        let (body, response) = try await exchange("POST", apiPath, policy: options.retry) { request in
            request.setValue(form.contentType, forHTTPHeaderField: "Content-Type")
            request.setValue(String(form.size), forHTTPHeaderField: "Content-Length")
            return try await self.session.upload(for: request, fromFile: form.url)
        }
        return try decode(FileObject.self, from: body, response: response, method: "POST", path: apiPath)
    }

    public func retrieveFile(id: String) async throws -> FileObject {
        try await json("GET", "/files/\(try Self.pathComponent(id, method: "GET", what: "file id"))")
    }

    public func downloadFileContent(id: String, to destination: URL) async throws -> Int64 {
        let apiPath = "/files/\(try Self.pathComponent(id, method: "GET", what: "file id"))/content"
        return try await withRetries("GET", apiPath, policy: options.retry) { attempt in
            let request = try self.makeRequest("GET", apiPath)
            let temp: URL
            let response: URLResponse
            do {
                (temp, response) = try await self.session.download(for: request)
            } catch {
                throw self.report(try self.transportError(error, method: "GET", path: apiPath), attempt: attempt)
            }
            defer { try? FileManager.default.removeItem(at: temp) }
            let http = try self.checkStatus(
                response, body: { Self.prefix(of: temp, limit: Self.errorBodyLimit) }, method: "GET", path: apiPath,
                attempt: attempt)
            do {
                return try Self.placeAtomically(temp, at: destination)
            } catch {
                throw APIError(
                    kind: .fileSystem,
                    message: "cannot write \(destination.path): \(SystemErrorText.reason(error))",
                    requestID: http.value(forHTTPHeaderField: "x-request-id"), method: "GET", path: apiPath)
            }
        }
    }

    public func deleteFile(id: String) async throws {
        let apiPath = "/files/\(try Self.pathComponent(id, method: "DELETE", what: "file id"))"
        let deleted: FileDeletedWire = try await json("DELETE", apiPath)
        if deleted.deleted == false {
            throw APIError(
                kind: .invalidRequest, message: "the provider answered but did not delete file \(id)",
                method: "DELETE", path: apiPath)
        }
    }

    // MARK: Plumbing

    /// One JSON call: build, send with retries, check status, decode.
    func json<T: Decodable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Data? = nil, createSafe: Bool = false,
        session: URLSession? = nil
    ) async throws -> T {
        let session = session ?? self.session
        let (data, response) = try await exchange(method, path, query: query, policy: options.retry, createSafe: createSafe) {
            request in
            if let body {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = body
            }
            return try await session.data(for: request)
        }
        return try decode(T.self, from: data, response: response, method: method, path: path)
    }

    /// Sends a request built by `send` with retries; returns the 2xx body and response.
    func exchange(
        _ method: String, _ path: String, query: [URLQueryItem] = [], policy: RetryPolicy, createSafe: Bool = false,
        send: @escaping @Sendable (inout URLRequest) async throws -> (Data, URLResponse)
    ) async throws -> (Data, HTTPURLResponse) {
        try await withRetries(method, path, policy: policy, createSafe: createSafe) { attempt in
            var request = try self.makeRequest(method, path, query: query)
            let data: Data
            let response: URLResponse
            do {
                (data, response) = try await send(&request)
            } catch {
                throw self.report(try self.transportError(error, method: method, path: path), attempt: attempt)
            }
            let http = try self.checkStatus(
                response, body: { data.prefix(Self.errorBodyLimit) }, method: method, path: path, attempt: attempt)
            return (data, http)
        }
    }

    /// Runs `attempt` until it succeeds or the policy gives up.
    private func withRetries<T>(
        _ method: String, _ path: String, policy: RetryPolicy, createSafe: Bool = false,
        attempt: @Sendable (Int) async throws -> T
    ) async throws -> T {
        var retries = 0
        while true {
            do {
                return try await attempt(retries)
            } catch let error as APIError {
                // Rule: a create is retried only when the failure proves no batch exists, why: POST /batches
                // has no idempotency key, so a blind retry can make a duplicate.
                if createSafe && !error.provesNotProcessed { throw error }
                switch policy.decide(error, retriesSoFar: retries) {
                case .giveUp:
                    throw error
                case .retry(let after):
                    logger.debug(
                        "retrying \(method) \(path) in \(after)s after \(error.kind) (retry \(retries + 1) of \(policy.maxRetries))")
                    // Said before the wait, why: a long Retry-After must be explained while it runs.
                    RetryNotice.observer?(RetryNotice(
                        method: method, path: path, error: error, delay: after,
                        providerAsked: (error.retryAfter ?? 0) > 0, retry: retries + 1, maxRetries: policy.maxRetries))
                    try await sleeper.sleep(after)
                    retries += 1
                }
            }
        }
    }

    private func makeRequest(_ method: String, _ path: String, query: [URLQueryItem] = []) throws -> URLRequest {
        var base = options.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard var components = URLComponents(string: base + path) else {
            throw APIError(
                kind: .invalidRequest, message: "cannot build a URL from base URL \(base) and path \(path)",
                method: method, path: path)
        }
        if !query.isEmpty { components.queryItems = query }
        guard let url = components.url else {
            throw APIError(kind: .invalidRequest, message: "cannot build a URL for \(path)", method: method, path: path)
        }
        var request = URLRequest(url: url, timeoutInterval: options.timeoutSeconds)
        request.httpMethod = method
        request.setValue("Bearer \(options.apiKey.revealForAuthorizationHeader())", forHTTPHeaderField: "Authorization")
        if let org = options.organization, !org.isEmpty { request.setValue(org, forHTTPHeaderField: "OpenAI-Organization") }
        if let project = options.project, !project.isEmpty { request.setValue(project, forHTTPHeaderField: "OpenAI-Project") }
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(options.userAgent, forHTTPHeaderField: "User-Agent")
        return request
    }

    /// Throws the classified `APIError` for a non-2xx response; returns the response otherwise.
    private func checkStatus(
        _ response: URLResponse, body: () -> Data, method: String, path: String, attempt: Int
    ) throws -> HTTPURLResponse {
        guard let http = response as? HTTPURLResponse else {
            throw report(
                APIError(kind: .connectionLost, message: "the response was not HTTP", method: method, path: path),
                attempt: attempt)
        }
        let requestID = http.value(forHTTPHeaderField: "x-request-id")
        guard (200..<300).contains(http.statusCode) else {
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields { headers[String(describing: k)] = String(describing: v) }
            let error = APIError.fromResponse(
                status: http.statusCode, headers: headers, body: body(), method: method, path: path,
                now: clock.now(), secrets: [options.apiKey])
            throw report(error, attempt: attempt)
        }
        logger.debug("\(method) \(path) -> \(http.statusCode) [request id: \(requestID ?? "-")]")
        observer?(APICallRecord(method: method, path: path, statusCode: http.statusCode, requestID: requestID, attempt: attempt))
        return http
    }

    private func report(_ error: APIError, attempt: Int) -> APIError {
        logger.debug("\(error.method) \(error.path) failed: \(error.kind) [request id: \(error.requestID ?? "-")]")
        observer?(APICallRecord(
            method: error.method, path: error.path, statusCode: error.statusCode, requestID: error.requestID,
            attempt: attempt, error: error))
        return error
    }

    private func decode<T: Decodable>(
        _ type: T.Type, from data: Data, response: HTTPURLResponse, method: String, path: String
    ) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw APIError(
                kind: .decoding, statusCode: response.statusCode,
                message: "could not read the \(T.self) in the response (\(Self.summary(of: error)))",
                requestID: response.value(forHTTPHeaderField: "x-request-id"), method: method, path: path)
        }
    }

    /// Maps a URLSession failure to an `APIError`, keeping whether the request may have been processed.
    /// Throws `CancellationError` for a cancelled task instead of classifying it.
    private func transportError(_ error: Error, method: String, path: String) throws -> APIError {
        if error is CancellationError { throw error }
        let ns = error as NSError
        guard ns.domain == NSURLErrorDomain else {
            return APIError(kind: .connectionLost, message: Secret.redact(ns.localizedDescription), method: method, path: path)
        }
        let code = URLError.Code(rawValue: ns.code)
        let kind: APIError.Kind
        switch code {
        case .cancelled:
            throw CancellationError()
        case .timedOut:
            kind = .timeout
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
            .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
            .unsupportedURL, .badURL, .appTransportSecurityRequiresSecureConnection:
            kind = .connectionFailed
        case .fileDoesNotExist, .noPermissionsToReadFile, .cannotOpenFile, .cannotCreateFile, .cannotWriteToFile:
            kind = .fileSystem
        default:
            kind = .connectionLost
        }
        return APIError(
            kind: kind, code: "URLError \(ns.code)",
            message: Self.transportWords(
                code ?? .unknown, base: options.baseURL, timeout: options.timeoutSeconds,
                detail: Secret.redact(ns.localizedDescription, secrets: [options.apiKey])),
            method: method, path: path)
    }
}

extension OpenAIClient {
    /// A client configured from batchtop's resolved configuration.
    /// - Throws: `ConfigError.noAPIKey` when no key is configured.
    public convenience init(config: BatchtopConfig, logger: Logger = Logger(label: "batchtop.api")) throws {
        self.init(options: try config.clientOptions(), logger: logger)
    }
}
