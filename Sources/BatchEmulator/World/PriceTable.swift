/// List prices the emulator bills with, so `/v1/organization/costs` can be checked "to the cent".
///
/// How costs are computed (the contract another module can rely on):
/// - Rates are integer micro-dollars per 1M tokens, from the public OpenAI list prices (November 2026).
/// - Usage is split per line item: `input` (uncached input = input - cached), `cached input`, `output`
///   (reasoning tokens are part of output). The batch lane uses the batch rates and its line items carry the
///   suffix ` (batch)`, e.g. `gpt-4o-mini-2024-07-18, input (batch)`.
/// - Where a batch cached-input rate is unpublished, batch cached tokens are charged at the batch input rate
///   (no cache discount in the batch lane). The emulator's own synthetic batch lines carry no cached tokens
///   for such models, so the choice never moves the demo's totals.
/// - A cost bucket's amount for one (day, project, line item) is
///   `round_half_up(tokens_that_day x rate / 1_000_000)` micro-dollars; wider groupings are sums of those.
///   `amount.value` is that in dollars, written as an exact decimal.
/// - Unknown models cost nothing.
public struct PriceTable: Sendable {
    /// Rates of one model, micro-dollars per 1M tokens.
    public struct Rates: Sendable, Equatable {
        /// Standard input.
        public var input: Int64
        /// Standard cached input.
        public var cachedInput: Int64
        /// Standard output.
        public var output: Int64
        /// Batch input.
        public var batchInput: Int64
        /// nil when unpublished: charged at `batchInput`.
        public var batchCachedInput: Int64?
        /// Batch output.
        public var batchOutput: Int64
    }

    /// The token classes of a line item.
    public enum TokenClass: String, Sendable, CaseIterable {
        case input = "input"
        case cachedInput = "cached input"
        case output = "output"
    }

    /// Rates by base model name.
    public let rates: [String: Rates]

    /// The list prices table.
    public static let standard = PriceTable(rates: [
        "gpt-5": r(1.25, 0.125, 10.00, 0.625, 0.0625, 5.00),
        "gpt-5.1": r(1.25, 0.125, 10.00, 0.625, 0.0625, 5.00),
        "gpt-5.2": r(1.75, 0.175, 14.00, 0.875, 0.0875, 7.00),
        "gpt-5-mini": r(0.25, 0.025, 2.00, 0.125, 0.0125, 1.00),
        "gpt-5-nano": r(0.05, 0.005, 0.40, 0.025, 0.0025, 0.20),
        "gpt-4.1": r(2.00, 0.50, 8.00, 1.00, nil, 4.00),
        "gpt-4.1-mini": r(0.40, 0.10, 1.60, 0.20, nil, 0.80),
        "gpt-4.1-nano": r(0.10, 0.025, 0.40, 0.05, nil, 0.20),
        "gpt-4o": r(2.50, 1.25, 10.00, 1.25, nil, 5.00),
        "gpt-4o-mini": r(0.15, 0.075, 0.60, 0.075, nil, 0.30),
        "o3": r(2.00, 0.50, 8.00, 1.00, nil, 4.00),
        "o3-mini": r(1.10, 0.55, 4.40, 0.55, nil, 2.20),
        "o4-mini": r(1.10, 0.275, 4.40, 0.55, nil, 2.20),
        "o1": r(15.00, 7.50, 60.00, 7.50, nil, 30.00),
        "text-embedding-3-small": r(0.02, 0.02, 0, 0.01, nil, 0),
        "text-embedding-3-large": r(0.13, 0.13, 0, 0.065, nil, 0),
        "omni-moderation-latest": r(0, 0, 0, 0, nil, 0),
    ])

    private static func r(_ i: Double, _ c: Double, _ o: Double, _ bi: Double, _ bc: Double?, _ bo: Double) -> Rates {
        func micro(_ dollars: Double) -> Int64 { Int64((dollars * 1_000_000).rounded()) }
        return Rates(input: micro(i), cachedInput: micro(c), output: micro(o),
                     batchInput: micro(bi), batchCachedInput: bc.map(micro), batchOutput: micro(bo))
    }

    /// The rate for a token class of `model` (base or dated name) in a lane, micro-dollars per 1M tokens.
    public func rate(model: String, tokenClass: TokenClass, batch: Bool) -> Int64 {
        guard let rates = rates[model] ?? rates[ModelCatalog.baseName(of: model)] else { return 0 }
        switch (tokenClass, batch) {
        case (.input, false): return rates.input
        case (.cachedInput, false): return rates.cachedInput
        case (.output, false): return rates.output
        case (.input, true): return rates.batchInput
        case (.cachedInput, true): return rates.batchCachedInput ?? rates.batchInput
        case (.output, true): return rates.batchOutput
        }
    }

    /// Whether a lane gives a published cache discount for `model` (synthetic lines only cache then).
    func hasPublishedCachedRate(model: String, batch: Bool) -> Bool {
        guard let rates = rates[model] ?? rates[ModelCatalog.baseName(of: model)] else { return false }
        return batch ? rates.batchCachedInput != nil : rates.cachedInput < rates.input
    }

    /// Micro-dollars for `tokens` of one line item, rounded half up.
    public static func cost(tokens: Int64, rate: Int64) -> Int64 { (tokens * rate + 500_000) / 1_000_000 }

    /// The line item name the costs endpoint reports.
    public static func lineItem(model: String, tokenClass: TokenClass, batch: Bool) -> String {
        "\(model), \(tokenClass.rawValue)\(batch ? " (batch)" : "")"
    }
}
