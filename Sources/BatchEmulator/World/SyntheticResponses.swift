import Foundation

/// Deterministic answers with realistic usage for every supported endpoint, shared by both lanes.
enum SyntheticResponses {
    static let batchEndpoints = ["/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations"]

    private static let sentences = [
        "The request was processed and the key points are summarised below.",
        "In short: the customer asked for a refund and the agent approved it.",
        "The evaluation passed 9 of 10 checks; the failing check concerns date formats.",
        "No policy violation was found in the reviewed content.",
        "Here is a concise answer based on the provided context.",
        "The ticket is about a billing discrepancy that was resolved by a credit note.",
        "The model output matches the reference answer within tolerance.",
        "Two follow-up actions are recommended: verify the account and close the ticket.",
    ]

    /// Token counts for one synthetic answer, drawn from `rng`.
    static func usage(endpoint: String, model: String, inputTokens: Int, maxOutput: Int?, batch: Bool,
                      prices: PriceTable, rng: inout SeededGenerator) -> TokenCounts {
        var counts = TokenCounts(input: Int64(inputTokens), requests: 1)
        switch endpoint {
        case "/v1/embeddings", "/v1/moderations":
            return counts
        default:
            break
        }
        if inputTokens >= 1024, prices.hasPublishedCachedRate(model: model, batch: batch) {
            let share = [0.0, 0.5, 0.75][rng.int(in: 0...2)]
            counts.cached = Int64(Double(inputTokens) * share) / 128 * 128
        }
        let cap = max(1, min(maxOutput ?? 800, 800))
        counts.output = Int64(cap < 24 ? rng.int(in: 1...cap) : rng.int(in: 20...cap))
        if ModelCatalog.isReasoning(model) {
            counts.reasoning = Int64(Double(counts.output) * (0.2 + 0.4 * rng.unit()))
        }
        return counts
    }

    /// The text of an answer chosen by content hash.
    static func text(_ hash: UInt64) -> String { sentences[Int(hash % UInt64(sentences.count))] }

    /// The response body of `endpoint` for `model` (dated name).
    static func body(endpoint: String, model: String, usage: TokenCounts, created: Int64, hash: UInt64,
                     idSuffix: String, inputCount: Int = 1, dimensions: Int = 16, base64: Bool = false) -> JSON {
        switch endpoint {
        case "/v1/responses":
            return responseBody(model: model, usage: usage, created: created, hash: hash, idSuffix: idSuffix)
        case "/v1/embeddings":
            return embeddingsBody(model: model, usage: usage, hash: hash, inputCount: inputCount,
                                  dimensions: dimensions, base64: base64)
        case "/v1/moderations":
            return .object([
                ("id", .string("modr-\(idSuffix)")), ("model", .string(model)),
                ("results", .array([.object([("flagged", .bool(false)), ("categories", .object([])),
                                             ("category_scores", .object([]))])])),
            ])
        case "/v1/completions":
            return .object([
                ("id", .string("cmpl-\(idSuffix)")), ("object", .string("text_completion")), ("created", .int(created)),
                ("model", .string(model)),
                ("choices", .array([.object([("text", .string(text(hash))), ("index", .int(0)),
                                             ("logprobs", .null), ("finish_reason", .string("stop"))])])),
                ("usage", chatUsage(usage)),
            ])
        default:
            return .object([
                ("id", .string("chatcmpl-\(idSuffix)")), ("object", .string("chat.completion")), ("created", .int(created)),
                ("model", .string(model)),
                ("choices", .array([.object([
                    ("index", .int(0)),
                    ("message", .object([("role", .string("assistant")), ("content", .string(text(hash))),
                                         ("refusal", .null), ("annotations", .array([]))])),
                    ("logprobs", .null), ("finish_reason", .string("stop")),
                ])])),
                ("usage", chatUsage(usage)),
                ("service_tier", .string("default")),
                ("system_fingerprint", .string("fp_emulator")),
            ])
        }
    }

    /// Chat/completions usage: `prompt_tokens`, `completion_tokens`, details.
    static func chatUsage(_ usage: TokenCounts) -> JSON {
        .object([
            ("prompt_tokens", .int(usage.input)), ("completion_tokens", .int(usage.output)),
            ("total_tokens", .int(usage.input + usage.output)),
            ("prompt_tokens_details", .object([("cached_tokens", .int(usage.cached)), ("audio_tokens", .int(0))])),
            ("completion_tokens_details", .object([
                ("reasoning_tokens", .int(usage.reasoning)), ("audio_tokens", .int(0)),
                ("accepted_prediction_tokens", .int(0)), ("rejected_prediction_tokens", .int(0)),
            ])),
        ])
    }

    private static func responseBody(model: String, usage: TokenCounts, created: Int64, hash: UInt64, idSuffix: String) -> JSON {
        .object([
            ("id", .string("resp_\(idSuffix)")), ("object", .string("response")), ("created_at", .int(created)),
            ("status", .string("completed")), ("background", .bool(false)), ("error", .null),
            ("incomplete_details", .null), ("instructions", .null), ("max_output_tokens", .null), ("model", .string(model)),
            ("output", .array([.object([
                ("id", .string("msg_\(idSuffix)")), ("type", .string("message")), ("status", .string("completed")),
                ("role", .string("assistant")),
                ("content", .array([.object([("type", .string("output_text")), ("text", .string(text(hash))),
                                             ("annotations", .array([])), ("logprobs", .array([]))])])),
            ])])),
            ("parallel_tool_calls", .bool(true)), ("previous_response_id", .null),
            ("reasoning", .object([("effort", .null), ("summary", .null)])),
            ("service_tier", .string("default")), ("store", .bool(true)), ("temperature", .double(1)),
            ("text", .object([("format", .object([("type", .string("text"))]))])),
            ("tool_choice", .string("auto")), ("tools", .array([])), ("top_p", .double(1)),
            ("truncation", .string("disabled")),
            ("usage", .object([
                ("input_tokens", .int(usage.input)),
                ("input_tokens_details", .object([("cached_tokens", .int(usage.cached)), ("cache_write_tokens", .int(0))])),
                ("output_tokens", .int(usage.output)),
                ("output_tokens_details", .object([("reasoning_tokens", .int(usage.reasoning))])),
                ("total_tokens", .int(usage.input + usage.output)),
            ])),
            ("user", .null), ("metadata", .object([])),
        ])
    }

    private static func embeddingsBody(model: String, usage: TokenCounts, hash: UInt64, inputCount: Int,
                                       dimensions: Int, base64: Bool) -> JSON {
        var data: [JSON] = []
        for index in 0..<max(1, inputCount) {
            var rng = SeededGenerator(seed: hash &+ UInt64(index))
            let vector = (0..<max(1, dimensions)).map { _ in Float(rng.unit() * 2 - 1) }
            let embedding: JSON
            if base64 {
                var bytes = Data(capacity: vector.count * 4)
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
                embedding = .string(bytes.base64EncodedString())
            } else {
                embedding = .array(vector.map { .raw(String(format: "%.6f", $0)) })
            }
            data.append(.object([("object", .string("embedding")), ("index", .int(index)), ("embedding", embedding)]))
        }
        return .object([
            ("object", .string("list")), ("data", .array(data)), ("model", .string(model)),
            ("usage", .object([("prompt_tokens", .int(usage.input)), ("total_tokens", .int(usage.input))])),
        ])
    }
}
