/// What a cached input token costs inside a batch when the model publishes no batch cached rate.
///
/// Rule: the default is `batchInput` (no extra cache discount in the batch lane), why: the provider
/// publishes no such discount for these models, the public price tables disagree, and a spend figure
/// or budget check must never read lower than the bill. A user price file can pick the other rule.
public enum BatchCachedInputRule: String, CaseIterable, Sendable, Codable, Hashable {
    /// Charge the batch input rate (no cache discount inside a batch).
    case batchInput = "batch_input"
    /// Charge the standard (real-time) cached input rate.
    case standardCached = "standard_cached"
}
