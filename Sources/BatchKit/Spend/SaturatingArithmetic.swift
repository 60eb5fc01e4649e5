/// Overflow-safe sums for figures that come from files and the network.
///
/// Rule: sums saturate at the `Int64` bounds instead of trapping, why: a hostile or corrupt output
/// file (token counts near 10^18 on many lines) must give an absurd figure, never a crash.
extension Int64 {
    @inline(__always) func saturatingAdding(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}

extension MicroDollars {
    func saturatingAdding(_ other: MicroDollars) -> MicroDollars {
        MicroDollars(value.saturatingAdding(other.value))
    }

    func saturatingSubtracting(_ other: MicroDollars) -> MicroDollars {
        let (diff, overflow) = value.subtractingReportingOverflow(other.value)
        return MicroDollars(overflow ? (other.value > 0 ? .min : .max) : diff)
    }
}

extension TokenUsage {
    func saturatingAdding(_ other: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: inputTokens.saturatingAdding(other.inputTokens),
            cachedInputTokens: cachedInputTokens.saturatingAdding(other.cachedInputTokens),
            outputTokens: outputTokens.saturatingAdding(other.outputTokens),
            reasoningTokens: reasoningTokens.saturatingAdding(other.reasoningTokens))
    }
}
