/// Token counts of a request or a batch, whichever of the provider's shapes they arrived in.
///
/// Decodes the Responses/Batch shape (`input_tokens`, `input_tokens_details.cached_tokens`, ...) and
/// the chat-completions shape (`prompt_tokens`, `prompt_tokens_details.cached_tokens`, ...); the
/// embeddings shape is the chat shape without completion tokens.
public struct TokenUsage: Codable, Sendable, Hashable {
    public var inputTokens: Int64
    public var cachedInputTokens: Int64
    public var outputTokens: Int64
    public var reasoningTokens: Int64

    public init(inputTokens: Int64 = 0, cachedInputTokens: Int64 = 0, outputTokens: Int64 = 0, reasoningTokens: Int64 = 0) {
        self.inputTokens = inputTokens; self.cachedInputTokens = cachedInputTokens
        self.outputTokens = outputTokens; self.reasoningTokens = reasoningTokens
    }

    /// Input plus output, saturating at `Int64.max`, why: both come from the provider (a hostile usage object
    /// trapped the store's JSON writer here, found by the API fuzz target).
    public var totalTokens: Int64 { inputTokens.saturatingAdding(outputTokens) }

    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: a.inputTokens + b.inputTokens,
            cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
            outputTokens: a.outputTokens + b.outputTokens,
            reasoningTokens: a.reasoningTokens + b.reasoningTokens)
    }

    enum Keys: String, CodingKey {
        case input_tokens, output_tokens, total_tokens, input_tokens_details, output_tokens_details
        case prompt_tokens, completion_tokens, prompt_tokens_details, completion_tokens_details
        case cached_tokens, reasoning_tokens
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func nested(_ key: Keys, _ inner: Keys) -> Int64? {
            guard let n = try? c.nestedContainer(keyedBy: Keys.self, forKey: key) else { return nil }
            return (try? n.decodeIfPresent(Int64.self, forKey: inner)) ?? nil
        }
        if let input = try c.decodeIfPresent(Int64.self, forKey: .input_tokens) {
            inputTokens = input
            outputTokens = try c.decodeIfPresent(Int64.self, forKey: .output_tokens) ?? 0
            cachedInputTokens = nested(.input_tokens_details, .cached_tokens) ?? 0
            reasoningTokens = nested(.output_tokens_details, .reasoning_tokens) ?? 0
        } else if let prompt = try c.decodeIfPresent(Int64.self, forKey: .prompt_tokens) {
            inputTokens = prompt
            outputTokens = try c.decodeIfPresent(Int64.self, forKey: .completion_tokens) ?? 0
            cachedInputTokens = nested(.prompt_tokens_details, .cached_tokens) ?? 0
            reasoningTokens = nested(.completion_tokens_details, .reasoning_tokens) ?? 0
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no token counts"))
        }
    }

    /// Encodes in the Batch object's shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(inputTokens, forKey: .input_tokens)
        var i = c.nestedContainer(keyedBy: Keys.self, forKey: .input_tokens_details)
        try i.encode(cachedInputTokens, forKey: .cached_tokens)
        try c.encode(outputTokens, forKey: .output_tokens)
        var o = c.nestedContainer(keyedBy: Keys.self, forKey: .output_tokens_details)
        try o.encode(reasoningTokens, forKey: .reasoning_tokens)
        try c.encode(totalTokens, forKey: .total_tokens)
    }
}
