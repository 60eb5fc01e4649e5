import FlyingFox
import Foundation

extension EmulatorHandler {
    /// The real-time lane: deterministic answers, realistic usage, rate-limit headers, billed to the ledger.
    func inference(_ endpoint: Endpoint, _ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
        let data = try await Self.bodyData(request)
        guard !data.isEmpty, let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw APIError.invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
        }
        guard let model = body["model"] as? String, !model.isEmpty else { throw APIError.missing("model") }
        if let stream = body["stream"] as? Bool, stream {
            throw APIError.invalid("Streaming is not supported by the batchtop emulator.", param: "stream", code: "unsupported_value")
        }
        let path: String
        switch endpoint {
        case .chatCompletions:
            guard let messages = body["messages"] as? [Any], !messages.isEmpty else { throw APIError.missing("messages") }
            path = "/v1/chat/completions"
        case .responses:
            guard body["input"] != nil else { throw APIError.missing("input") }
            path = "/v1/responses"
        default:
            guard let input = body["input"], !(input is NSNull) else { throw APIError.missing("input") }
            if let list = input as? [Any], list.isEmpty || list.count > TokenEstimator.maxInputsPerRequest {
                throw APIError.invalid("'input' must hold between 1 and \(TokenEstimator.maxInputsPerRequest) items.",
                                       param: "input", code: "invalid_value")
            }
            path = "/v1/embeddings"
        }
        // Hash a canonical form so the same request gets the same answer whatever its key order.
        let canonical = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? data
        let hash = fnv1a(canonical, seed: engine.config.seed)
        var rng = SeededGenerator(seed: hash)
        let maxOutput = (body["max_completion_tokens"] ?? body["max_tokens"] ?? body["max_output_tokens"]) as? Int
        let usage = SyntheticResponses.usage(endpoint: path, model: model, inputTokens: TokenEstimator.inputTokens(body),
                                             maxOutput: maxOutput, batch: false, prices: PriceTable.standard, rng: &rng)
        let dated = ModelCatalog.snapshot(of: model)
        let dimensions = (body["dimensions"] as? Int).map { max(1, min($0, 3072)) }
            ?? (model.hasSuffix("-large") ? 3072 : 1536)
        let created = try engine.withWorld { world in
            world.recordRealtime(endpoint: path, model: dated, usage: usage, at: world.now)
            return world.now
        }
        let json = SyntheticResponses.body(endpoint: path, model: dated, usage: usage, created: created, hash: hash,
                                           idSuffix: rng.token(24, alphabet: SeededGenerator.base62),
                                           inputCount: TokenEstimator.inputCount(body), dimensions: dimensions,
                                           base64: (body["encoding_format"] as? String) == "base64")
        var response = Self.json(json)
        for (name, value) in engine.rateLimitHeaders(tokens: Int(usage.input + usage.output)) {
            response.headers[HTTPHeader(name)] = value
        }
        return response
    }
}
