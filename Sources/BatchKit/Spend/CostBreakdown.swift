/// What a quantity of tokens cost, split by token class, in integer micro-dollars.
public struct CostBreakdown: Hashable, Sendable, Codable, AdditiveArithmetic {
    /// Cost of input tokens that missed the prompt cache.
    public var uncachedInput: MicroDollars
    /// Cost of input tokens served from the prompt cache.
    public var cachedInput: MicroDollars
    /// Cost of output tokens (reasoning tokens are part of them).
    public var output: MicroDollars

    public init(uncachedInput: MicroDollars = .zero, cachedInput: MicroDollars = .zero, output: MicroDollars = .zero) {
        self.uncachedInput = uncachedInput; self.cachedInput = cachedInput; self.output = output
    }

    public static let zero = CostBreakdown()

    /// The sum of the three classes; equal to the sum of the displayed parts by construction.
    public var total: MicroDollars { uncachedInput.saturatingAdding(cachedInput).saturatingAdding(output) }

    public static func + (a: CostBreakdown, b: CostBreakdown) -> CostBreakdown {
        CostBreakdown(uncachedInput: a.uncachedInput.saturatingAdding(b.uncachedInput), cachedInput: a.cachedInput.saturatingAdding(b.cachedInput), output: a.output.saturatingAdding(b.output))
    }

    public static func - (a: CostBreakdown, b: CostBreakdown) -> CostBreakdown {
        CostBreakdown(uncachedInput: a.uncachedInput.saturatingSubtracting(b.uncachedInput), cachedInput: a.cachedInput.saturatingSubtracting(b.cachedInput), output: a.output.saturatingSubtracting(b.output))
    }
}

/// The result of pricing usage: a cost with the rates' provenance, or an explicit "unpriced".
///
/// Rule: an unknown model or a lane without rates is `unpriced`, carrying its tokens, why: a silent
/// $0 would make a budget look healthy while money is being spent.
public enum PricedUsage: Hashable, Sendable {
    /// Priced with the rates of `resolvedModel` (which may differ from the model asked for, e.g. a dated name).
    case priced(model: String, resolvedModel: String, lane: Lane, usage: TokenUsage, cost: CostBreakdown, origin: PriceOrigin)
    /// No rate for this model in this lane; tokens are kept so they can be counted and shown.
    case unpriced(model: String, lane: Lane, usage: TokenUsage)

    /// The cost if priced, nil otherwise.
    public var cost: CostBreakdown? {
        if case .priced(_, _, _, _, let cost, _) = self { return cost }
        return nil
    }

    /// The usage that was priced (or could not be).
    public var usage: TokenUsage {
        switch self {
        case .priced(_, _, _, let usage, _, _), .unpriced(_, _, let usage): return usage
        }
    }

    /// Whether a rate was found.
    public var isPriced: Bool { cost != nil }
}
