import FlyingFox
import Foundation

/// The HTTP face of the emulator: routing, auth, faults, counters, then the endpoint handlers.
struct EmulatorHandler: HTTPHandler {
    let engine: EmulatorEngine
    /// Largest JSON request body accepted.
    static let maxJSONBody = 32 * 1024 * 1024

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let requestID = engine.nextRequestID()
        let started = DispatchTime.now().uptimeNanoseconds
        var response = await respond(to: request, requestID: requestID)
        if case .httpBody = response.payload {
            response.headers[HTTPHeader("x-request-id")] = requestID
            response.headers[HTTPHeader("openai-version")] = "2020-10-01"
            response.headers[HTTPHeader("openai-organization")] = engine.config.organizationID
            let elapsed = (DispatchTime.now().uptimeNanoseconds &- started) / 1_000_000
            response.headers[HTTPHeader("openai-processing-ms")] = String(elapsed)
        }
        return response
    }

    private func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let route: Route
        switch Router.resolve(method: request.method.rawValue, path: request.path, controlEnabled: engine.config.controlEnabled) {
        case .success(let found):
            route = found
        case .failure(.notFound):
            await Self.drain(request)
            return Self.error(APIError(status: 404, message: "Invalid URL (\(request.method.rawValue) \(request.path))"))
        case .failure(.methodNotAllowed(let allowed)):
            await Self.drain(request)
            var response = Self.error(APIError(status: 405,
                message: "Method \(request.method.rawValue) is not allowed for \(request.path); use \(allowed.joined(separator: " or ")).",
                code: "method_not_allowed"))
            response.headers[HTTPHeader("Allow")] = allowed.joined(separator: ", ")
            return response
        }
        if route.endpoint.isControl {
            do { return try await control(route, request) } catch { return Self.error(error) }
        }
        engine.tally.record(route.key)

        var malformed = false
        var lostResponse: FaultRule.Kind?
        for fault in engine.faults.take(for: route.key) {
            switch fault {
            case .latency(let ms):
                try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
            case .status(let status, let retryAfter):
                await Self.drain(request)
                var response = Self.error(Self.faultError(status))
                if let retryAfter {
                    response.headers[HTTPHeader("Retry-After")] = String(retryAfter)
                    response.headers[HTTPHeader("retry-after-ms")] = String(retryAfter * 1000)
                }
                return response
            case .dropConnection:
                await Self.drain(request)
                return DropConnection.response
            case .malformedBody:
                malformed = true
            case .lostResponse:
                lostResponse = fault
            }
        }

        if let failure = authenticate(request, admin: route.endpoint.needsAdminKey) {
            await Self.drain(request)
            return Self.error(failure)
        }

        var response: HTTPResponse
        do {
            response = try await dispatch(route, request)
        } catch {
            await Self.drain(request)
            response = Self.error(error)
        }
        if case .lostResponse(let status)? = lostResponse, response.statusCode.code == 200 {
            if let status { return Self.error(Self.faultError(status)) }
            return DropConnection.response
        }
        if malformed {
            let body = (try? await response.bodyData) ?? Data()
            var cut = Data(body.prefix(max(1, body.count / 2)))
            cut.append(contentsOf: Array(#"<!-- upstream error \u0000"#.utf8))
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: cut)
        }
        return response
    }

    private func dispatch(_ route: Route, _ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
        switch route.endpoint {
        case .uploadFile: return try await uploadFile(request)
        case .listFiles: return try listFiles(request)
        case .retrieveFile: return try retrieveFile(route.id ?? "")
        case .deleteFile: return try deleteFile(route.id ?? "")
        case .fileContent: return try fileContent(route.id ?? "")
        case .createBatch: return try await createBatch(try await Self.jsonBody(request))
        case .listBatches: return try listBatches(request)
        case .retrieveBatch: return try retrieveBatch(route.id ?? "")
        case .cancelBatch:
            await Self.drain(request)
            return try cancelBatch(route.id ?? "")
        case .chatCompletions, .responses, .embeddings:
            return try await inference(route.endpoint, request)
        case .usageCompletions: return try usage(.completions, request)
        case .usageEmbeddings: return try usage(.embeddings, request)
        case .costs: return try costs(request)
        case .rateLimits: return try rateLimits(route.id ?? "", request)
        default: throw APIError(status: 404, message: "Invalid URL (\(request.method.rawValue) \(request.path))")
        }
    }

    // MARK: Auth

    private func authenticate(_ request: HTTPRequest, admin: Bool) -> APIError? {
        var key: String?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { key = parts[1].trimmingCharacters(in: .whitespaces) }
        } else if let header = request.headers[HTTPHeader("api-key")] {
            key = header
        }
        guard let key, !key.isEmpty else {
            return APIError(status: 401, message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).")
        }
        let config = engine.config
        if admin {
            if key == config.adminKey { return nil }
            if key == config.projectKey {
                return APIError(status: 401, message: "You have insufficient permissions for this operation. Missing scopes: api.usage.read. This endpoint needs an admin key.", code: "insufficient_permissions")
            }
        } else {
            if key == config.projectKey { return nil }
            if key == config.adminKey {
                return APIError(status: 401, message: "You have insufficient permissions for this operation. Admin keys cannot call files, batches or inference; use a project key.", code: "insufficient_permissions")
            }
        }
        let masked = key.count > 8 ? "\(key.prefix(3))***\(key.suffix(4))" : "***"
        return APIError(status: 401, message: "Incorrect API key provided: \(masked). You can find your API key at https://platform.openai.com/account/api-keys.", code: "invalid_api_key")
    }

    // MARK: Helpers

    static func faultError(_ status: Int) -> APIError {
        switch status {
        case 429: return APIError(status: 429, message: "Rate limit reached for requests. Please try again shortly.", type: "requests", code: "rate_limit_exceeded")
        case 500: return APIError(status: 500, message: "The server had an error while processing your request. Sorry about that!", type: "server_error")
        case 502: return APIError(status: 502, message: "Bad gateway.", type: "server_error")
        case 503: return APIError(status: 503, message: "The engine is currently overloaded, please try again later.", type: "server_error")
        default: return APIError(status: status, message: "Injected fault \(status).", type: status >= 500 ? "server_error" : "invalid_request_error")
        }
    }

    static func error(_ error: APIError) -> HTTPResponse {
        json(error.body.encoded(), status: error.status)
    }

    static func json(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: phrase(status)),
                     headers: [.contentType: "application/json"], body: Data(text.utf8))
    }

    static func json(_ value: JSON, status: Int = 200) -> HTTPResponse { json(value.encoded(), status: status) }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Payload Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    /// Reads the rest of a body and throws it away, so the connection stays usable.
    static func drain(_ request: HTTPRequest) async {
        do { for try await _ in request.bodySequence {} } catch {}
    }

    /// The body as bytes, refusing (after draining) anything above `maxJSONBody`.
    static func bodyData(_ request: HTTPRequest) async throws(APIError) -> Data {
        if let count = request.bodySequence.count, count > maxJSONBody {
            await drain(request)
            throw APIError(status: 413, message: "The request body is \(count) bytes; the limit is \(maxJSONBody).")
        }
        do {
            var data = Data()
            for try await chunk in request.bodySequence {
                data.append(chunk)
                if data.count > maxJSONBody {
                    await drain(request)
                    throw APIError(status: 413, message: "The request body is above the \(maxJSONBody)-byte limit.")
                }
            }
            return data
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(status: 400, message: "The request body could not be read: \(error.localizedDescription)")
        }
    }

    /// The body as a JSON object, or the service's parse error.
    static func jsonBody(_ request: HTTPRequest) async throws(APIError) -> [String: Any] {
        let data = try await bodyData(request)
        guard !data.isEmpty, let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw APIError.invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
        }
        return object
    }

    static func query(_ request: HTTPRequest, _ name: String) -> String? {
        request.query.first { $0.name == name }?.value
    }

    /// An array parameter in either form: `name[]=a&name[]=b` or `name=a&name=b`.
    static func queryArray(_ request: HTTPRequest, _ name: String) -> [String] {
        request.query.filter { $0.name == name || $0.name == name + "[]" }.map(\.value).filter { !$0.isEmpty }
    }

    static func intQuery(_ request: HTTPRequest, _ name: String, default value: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let text = query(request, name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.invalid("Invalid '\(name)': expected an integer between \(range.lowerBound) and \(range.upperBound), got '\(text)'.",
                                   param: name, code: "invalid_value")
        }
        return number
    }
}
