import Foundation

/// The response bodies and usage of every supported endpoint around a `SyntheticAnswer`, shared by both lanes.
enum SyntheticResponses {
    static let batchEndpoints = ["/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations"]

    /// Token counts for `answer` to a prompt of `inputTokens`; only the cached share is drawn from `rng`.
    static func usage(endpoint: String, model: String, inputTokens: Int, answer: SyntheticAnswer, batch: Bool,
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
        counts.output = Int64(answer.outputTokens)
        counts.reasoning = Int64(answer.reasoningTokens)
        return counts
    }

    /// The response body of `endpoint` for `model` (dated name) carrying `answer`; `hash` seeds embeddings.
    /// A cut answer ends with `finish_reason: "length"` (Responses: `status: "incomplete"`).
    static func body(endpoint: String, model: String, usage: TokenCounts, answer: SyntheticAnswer,
                     format: AnswerFormat = .text, maxOutput: Int? = nil, created: Int64, hash: UInt64,
                     idSuffix: String, inputCount: Int = 1, dimensions: Int = 16, base64: Bool = false) -> JSON {
        let finish = JSON.string(answer.truncated ? "length" : "stop")
        switch endpoint {
        case "/v1/responses":
            return responseBody(model: model, usage: usage, answer: answer, format: format, maxOutput: maxOutput,
                                created: created, idSuffix: idSuffix)
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
                ("choices", .array([.object([("text", .string(answer.text)), ("index", .int(0)),
                                             ("logprobs", .null), ("finish_reason", finish)])])),
                ("usage", chatUsage(usage)),
            ])
        default:
            return .object([
                ("id", .string("chatcmpl-\(idSuffix)")), ("object", .string("chat.completion")), ("created", .int(created)),
                ("model", .string(model)),
                ("choices", .array([.object([
                    ("index", .int(0)),
                    ("message", .object([("role", .string("assistant")), ("content", .string(answer.text)),
                                         ("refusal", .null), ("annotations", .array([]))])),
                    ("logprobs", .null), ("finish_reason", finish),
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

    private static func responseBody(model: String, usage: TokenCounts, answer: SyntheticAnswer, format: AnswerFormat,
                                     maxOutput: Int?, created: Int64, idSuffix: String) -> JSON {
        let status = answer.truncated ? "incomplete" : "completed"
        var output: [JSON] = []
        if usage.reasoning > 0 {
            // Reasoning models list their (hidden) reasoning before the message, as the service does.
            output.append(.object([("id", .string("rs_\(idSuffix)")), ("type", .string("reasoning")), ("summary", .array([]))]))
        }
        output.append(.object([
            ("id", .string("msg_\(idSuffix)")), ("type", .string("message")), ("status", .string(status)),
            ("role", .string("assistant")),
            ("content", .array([.object([("type", .string("output_text")), ("text", .string(answer.text)),
                                         ("annotations", .array([])), ("logprobs", .array([]))])])),
        ]))
        return .object([
            ("id", .string("resp_\(idSuffix)")), ("object", .string("response")), ("created_at", .int(created)),
            ("status", .string(status)), ("background", .bool(false)), ("error", .null),
            ("incomplete_details", answer.truncated ? .object([("reason", .string("max_output_tokens"))]) : .null),
            ("instructions", .null), ("max_output_tokens", .int(maxOutput.map(Int64.init))), ("model", .string(model)),
            ("output", .array(output)),
            ("parallel_tool_calls", .bool(true)), ("previous_response_id", .null),
            ("reasoning", .object([("effort", .null), ("summary", .null)])),
            ("service_tier", .string("default")), ("store", .bool(true)), ("temperature", .double(1)),
            ("text", .object([("format", format.responsesJSON)])),
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
