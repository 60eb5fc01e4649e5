import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the lanes need beyond the Batch API: the project's enqueued-token limits and raw real-time calls.
extension OpenAIClient: RealtimeTransport {
    /// `batch_1_day_max_input_tokens` per model from `GET /organization/projects/{id}/rate_limits`.
    ///
    /// Needs a client made with the admin key (`[api] admin_key_file`); every page is read.
    public func projectBatchTokenLimits(projectID: String) async throws -> AdmissionLimits {
        let project = try Self.pathComponent(projectID, method: "GET", what: "project id")
        var limits = AdmissionLimits()
        var after: String?
        for _ in 0..<50 {
            var query = [URLQueryItem(name: "limit", value: "100")]
            if let after { query.append(URLQueryItem(name: "after", value: after)) }
            let page: RateLimitPageWire = try await json("GET", "/organization/projects/\(project)/rate_limits", query: query)
            for item in page.data {
                if let model = item.model, let tokens = item.batchTokens, tokens > 0 { limits.perModel[model] = tokens }
            }
            guard page.hasMore == true, let last = page.lastID ?? page.data.last?.id, last != after else { break }
            after = last
        }
        return limits
    }

    /// Sends one real-time request (`path` like `/v1/chat/completions`) with the client's retry policy.
    public func post(path: String, body: Data) async throws -> RealtimeReply {
        // The base URL already ends in /v1; batch input lines name the endpoint with it.
        let apiPath = path.hasPrefix("/v1/") ? String(path.dropFirst(3)) : path
        let (data, http) = try await exchange("POST", apiPath, policy: options.retry) { request in
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = body
            return try await self.session.data(for: request)
        }
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return RealtimeReply(statusCode: http.statusCode, body: data, headers: headers)
    }
}

struct RateLimitPageWire: Decodable {
    struct Item: Decodable {
        var id: String?
        var model: String?
        var batchTokens: Int64?
        enum CodingKeys: String, CodingKey {
            case id, model
            case batchTokens = "batch_1_day_max_input_tokens"
        }
    }
    var data: [Item]
    var hasMore: Bool?
    var lastID: String?
    enum CodingKeys: String, CodingKey {
        case data
        case hasMore = "has_more"
        case lastID = "last_id"
    }
}
