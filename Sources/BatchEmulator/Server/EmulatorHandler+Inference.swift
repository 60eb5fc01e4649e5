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
        let maxOutput = try SyntheticAnswer.maxOutputTokens(body, endpoint: path)
        let format = try AnswerFormat.of(body, endpoint: path)
        // Hash a canonical form so the same request gets the same answer whatever its key order, and without
        // the budget, so a cut answer is the start of the uncut one.
        var unbudgeted = body
        for key in ["max_tokens", "max_completion_tokens", "max_output_tokens"] { unbudgeted[key] = nil }
        let canonical = (try? JSONSerialization.data(withJSONObject: unbudgeted, options: [.sortedKeys])) ?? data
        let hash = fnv1a(canonical, seed: engine.config.seed)
        var rng = SeededGenerator(seed: hash)
        let answer = SyntheticAnswer.make(endpoint: path, reasoning: ModelCatalog.isReasoning(model), format: format,
                                          maxOutput: maxOutput, seed: hash)
        let usage = SyntheticResponses.usage(endpoint: path, model: model, inputTokens: TokenEstimator.inputTokens(body),
                                             answer: answer, batch: false, prices: PriceTable.standard, rng: &rng)
        let dated = ModelCatalog.snapshot(of: model)
        let dimensions = (body["dimensions"] as? Int).map { max(1, min($0, 3072)) }
            ?? (model.hasSuffix("-large") ? 3072 : 1536)
        let created = try engine.withWorld { world in
            world.recordRealtime(endpoint: path, model: dated, usage: usage, at: world.now)
            return world.now
        }
        let json = SyntheticResponses.body(endpoint: path, model: dated, usage: usage, answer: answer, format: format,
                                           maxOutput: maxOutput, created: created, hash: hash,
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
