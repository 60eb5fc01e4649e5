import Foundation

/// The text of one synthetic answer and the tokens it costs, cut to the request's token budget.
///
/// A pure function of its inputs, so the batch lane can plan usage when a batch is created and write the same
/// text when it finishes, and usage always describes the text returned.
struct SyntheticAnswer: Sendable, Equatable {
    /// The visible answer (empty for embeddings and moderations).
    var text: String
    /// Tokens of `text` (the whole budget when cut).
    var visibleTokens: Int
    /// Hidden reasoning tokens, only for reasoning models.
    var reasoningTokens: Int
    /// Whether the budget ran out: `finish_reason: "length"`, Responses `status: "incomplete"`.
    var truncated: Bool

    /// All output tokens, reasoning included.
    var outputTokens: Int { visibleTokens + reasoningTokens }

    static let none = SyntheticAnswer(text: "", visibleTokens: 0, reasoningTokens: 0, truncated: false)

    /// The answer to a request on `endpoint` in `format`, at most `maxOutput` output tokens, drawn from `seed`.
    static func make(endpoint: String, reasoning: Bool, format: AnswerFormat, maxOutput: Int?, seed: UInt64) -> SyntheticAnswer {
        switch endpoint {
        case "/v1/embeddings", "/v1/moderations": return .none
        default: break
        }
        var rng = SeededGenerator(seed: seed, stream: "answer")
        var text: String
        switch format {
        case .text:
            // Mostly short and medium answers, a few long ones: 16...416 tokens, about 150 on average, so a
            // 400-token budget cuts a few answers in a hundred.
            let u = rng.unit()
            text = ProseText.answer(tokens: 16 + Int(u * u * 400), rng: &rng)
        case .jsonObject:
            text = JSON.object([
                ("answer", .string(ProseText.sentence(Int(rng.next() % 1_000)))),
                ("confidence", .double(Double(50 + rng.int(in: 0...49)) / 100)),
                ("labels", .array([.string(SchemaInstance.words[rng.int(in: 0...7)]),
                                   .string(SchemaInstance.words[rng.int(in: 8...15)])])),
            ]).encoded()
        case .jsonSchema(let schema):
            text = SchemaInstance.make(schema, seed: rng.next()).encoded()
        }
        var visible = TokenEstimator.tokens(in: text)
        var thinking = 0
        if reasoning { thinking = Int(Double(visible) * (0.25 + 0.75 * rng.unit())) + 8 }
        var truncated = false
        if let maxOutput, visible + thinking > maxOutput {
            // Reasoning spends the budget first; leave at least half of it for the visible answer.
            thinking = min(thinking, maxOutput / 2)
            let budget = maxOutput - thinking
            if visible > budget {
                text = TokenEstimator.prefix(of: text, tokens: budget)
                visible = budget
                truncated = true
            }
        }
        return SyntheticAnswer(text: text, visibleTokens: visible, reasoningTokens: thinking, truncated: truncated)
    }

    /// The output-token budget a request body sets on `endpoint`, checked as the service checks it.
    static func maxOutputTokens(_ body: [String: Any], endpoint: String) throws(APIError) -> Int? {
        switch endpoint {
        case "/v1/chat/completions":
            if let value = try budget(body, "max_completion_tokens", minimum: 1) { return value }
            return try budget(body, "max_tokens", minimum: 1)
        case "/v1/responses":
            return try budget(body, "max_output_tokens", minimum: 16)
        case "/v1/completions":
            // The legacy endpoint stops at 16 tokens unless told otherwise.
            let given = try budget(body, "max_tokens", minimum: 0)
            return given ?? 16
        default:
            return nil
        }
    }

    private static func budget(_ body: [String: Any], _ key: String, minimum: Int) throws(APIError) -> Int? {
        guard let raw = body[key], !(raw is NSNull) else { return nil }
        guard case .int(let value)? = JSONValue(any: raw) else {
            throw APIError.invalid("Invalid type for '\(key)': expected an integer, but got \(JSONValue(any: raw)?.typeName ?? "a value") instead.",
                                   param: key, code: "invalid_type")
        }
        guard value >= minimum else {
            throw APIError.invalid("Invalid '\(key)': integer below minimum value. Expected a value >= \(minimum), but got \(value) instead.",
                                   param: key, code: "integer_below_min_value")
        }
        return Int(min(value, Int64(Int32.max)))
    }
}
