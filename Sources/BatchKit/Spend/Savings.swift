/// What the batch lane saved: its tokens at real-time rates minus what they cost at batch rates.
///
/// Only models priced in both lanes count on either side; the rest are listed in `unpriced` with their
/// tokens, so a missing rate shows up instead of inflating or hiding the saving.
public struct Savings: Hashable, Sendable {
    /// The batch lane's tokens at real-time rates.
    public var realtimeEquivalent: MicroDollars
    /// The same tokens at batch rates (what they cost).
    public var batchCost: MicroDollars
    /// Batch tokens by model that could not be priced in one of the lanes.
    public var unpriced: [String: TokenUsage]

    public init(realtimeEquivalent: MicroDollars = .zero, batchCost: MicroDollars = .zero, unpriced: [String: TokenUsage] = [:]) {
        self.realtimeEquivalent = realtimeEquivalent; self.batchCost = batchCost; self.unpriced = unpriced
    }

    /// Real-time equivalent minus batch cost; negative when batching cost more (e.g. lost cache discounts).
    public var saved: MicroDollars { realtimeEquivalent.saturatingSubtracting(batchCost) }

    /// The savings of the batch lane's usage, aggregated per model (sum tokens first, price once).
    public static func of(batchUsage: [String: TokenUsage], prices: PriceTable) -> Savings {
        var result = Savings()
        for (model, usage) in batchUsage {
            guard let realtime = prices.price(usage, model: model, lane: .realtime).cost,
                  let batch = prices.price(usage, model: model, lane: .batch).cost else {
                result.unpriced[model, default: TokenUsage()] = result.unpriced[model, default: TokenUsage()].saturatingAdding(usage)
                continue
            }
            result.realtimeEquivalent = result.realtimeEquivalent.saturatingAdding(realtime.total)
            result.batchCost = result.batchCost.saturatingAdding(batch.total)
        }
        return result
    }
}
