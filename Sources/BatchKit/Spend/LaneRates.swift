/// The three per-token rates of one model in one lane: uncached input, cached input, output.
public struct LaneRates: Hashable, Sendable, Codable {
    /// Rate for input tokens that did not hit the prompt cache.
    public var input: TokenRate
    /// Rate for input tokens served from the prompt cache; nil when the provider publishes none.
    public var cachedInput: TokenRate?
    /// Rate for output tokens, reasoning tokens included.
    public var output: TokenRate

    public init(input: TokenRate, cachedInput: TokenRate?, output: TokenRate) {
        self.input = input; self.cachedInput = cachedInput; self.output = output
    }

    /// The rate actually charged for cached input tokens.
    ///
    /// Rule: without a published cached rate, cached tokens cost the lane's input rate, why: claiming a
    /// discount nobody publishes would understate spend, and a budget must never read low.
    public var effectiveCachedInput: TokenRate { cachedInput ?? input }

    /// Prices `usage` at these rates: one rounding per token class, total = sum of the classes.
    ///
    /// Cached tokens are a subset of input tokens and are clamped to `0...inputTokens` (corrupt input
    /// must not make uncached input negative); reasoning tokens are already inside `outputTokens` and
    /// are never charged twice.
    public func cost(of usage: TokenUsage) -> CostBreakdown {
        let cached = min(max(usage.cachedInputTokens, 0), max(usage.inputTokens, 0))
        let uncached = usage.inputTokens - cached
        return CostBreakdown(
            uncachedInput: input.cost(ofTokens: uncached),
            cachedInput: effectiveCachedInput.cost(ofTokens: cached),
            output: output.cost(ofTokens: usage.outputTokens))
    }
}
