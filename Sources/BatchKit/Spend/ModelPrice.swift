/// One model's row of the price table: real-time and batch rates, each optional, with its origin.
///
/// A missing rate is nil, never zero: a lane without both `input` and `output` is unpriced.
public struct ModelPrice: Hashable, Sendable {
    /// Real-time input rate.
    public var input: TokenRate?
    /// Real-time cached input rate (nil: cached tokens pay `input`).
    public var cachedInput: TokenRate?
    /// Real-time output rate.
    public var output: TokenRate?
    /// Batch input rate.
    public var batchInput: TokenRate?
    /// Batch cached input rate; nil means unpublished, see `BatchCachedInputRule`.
    public var batchCachedInput: TokenRate?
    /// Batch output rate.
    public var batchOutput: TokenRate?
    /// Where the row (or its last overriding field) came from.
    public var origin: PriceOrigin

    public init(
        input: TokenRate? = nil, cachedInput: TokenRate? = nil, output: TokenRate? = nil,
        batchInput: TokenRate? = nil, batchCachedInput: TokenRate? = nil, batchOutput: TokenRate? = nil,
        origin: PriceOrigin
    ) {
        self.input = input; self.cachedInput = cachedInput; self.output = output
        self.batchInput = batchInput; self.batchCachedInput = batchCachedInput; self.batchOutput = batchOutput
        self.origin = origin
    }

    /// The rates charged in `lane`, applying `rule` to an unpublished batch cached rate; nil when unpriced.
    public func rates(for lane: Lane, rule: BatchCachedInputRule) -> LaneRates? {
        switch lane {
        case .realtime:
            guard let input, let output else { return nil }
            return LaneRates(input: input, cachedInput: cachedInput, output: output)
        case .batch:
            guard let batchInput, let batchOutput else { return nil }
            let cached: TokenRate?
            switch rule {
            case .batchInput: cached = batchCachedInput ?? batchInput
            case .standardCached: cached = batchCachedInput ?? cachedInput ?? batchInput
            }
            return LaneRates(input: batchInput, cachedInput: cached, output: batchOutput)
        }
    }

    /// This row with every rate `other` sets replacing ours; the origin becomes `other`'s.
    public func overlaid(with other: ModelPrice) -> ModelPrice {
        ModelPrice(
            input: other.input ?? input, cachedInput: other.cachedInput ?? cachedInput,
            output: other.output ?? output, batchInput: other.batchInput ?? batchInput,
            batchCachedInput: other.batchCachedInput ?? batchCachedInput,
            batchOutput: other.batchOutput ?? batchOutput, origin: other.origin)
    }
}
