/// The tokens of one request or a sum of them, in the service's classes.
public struct TokenCounts: Sendable, Equatable {
    /// All input tokens, cached included.
    public var input: Int64 = 0
    /// The cached part of `input`.
    public var cached: Int64 = 0
    /// All output tokens, reasoning included.
    public var output: Int64 = 0
    /// The reasoning part of `output`.
    public var reasoning: Int64 = 0
    /// Model requests counted.
    public var requests: Int64 = 0

    /// Counts with the given values.
    public init(input: Int64 = 0, cached: Int64 = 0, output: Int64 = 0, reasoning: Int64 = 0, requests: Int64 = 0) {
        self.input = input; self.cached = cached; self.output = output; self.reasoning = reasoning; self.requests = requests
    }

    static func += (lhs: inout TokenCounts, rhs: TokenCounts) {
        lhs.input += rhs.input; lhs.cached += rhs.cached; lhs.output += rhs.output
        lhs.reasoning += rhs.reasoning; lhs.requests += rhs.requests
    }

    /// `Batch.usage` shape.
    var batchUsageJSON: JSON {
        .object([
            ("input_tokens", .int(input)),
            ("input_tokens_details", .object([("cached_tokens", .int(cached))])),
            ("output_tokens", .int(output)),
            ("output_tokens_details", .object([("reasoning_tokens", .int(reasoning))])),
            ("total_tokens", .int(input + output)),
        ])
    }
}
