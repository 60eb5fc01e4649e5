/// The enqueued input-token limit per model, from the project's rate limits or from config.
///
/// Rule: a limit named `gpt-4o` also governs dated snapshots such as `gpt-4o-2024-08-06`, and the
/// longest matching name wins, why: the provider lists limits per model family while batches report
/// the snapshot they ran on. Tokens are pooled under the governing name.
public struct AdmissionLimits: Codable, Sendable, Hashable {
    /// Limit in input tokens, keyed by model name.
    public var perModel: [String: Int64]

    public init(_ perModel: [String: Int64] = [:]) { self.perModel = perModel }

    /// The name whose limit governs `model` (the model itself when no limit matches).
    public func pool(for model: String) -> String {
        if perModel[model] != nil { return model }
        var best: String?
        for key in perModel.keys where model.hasPrefix(key + "-") {
            if best.map({ key.count > $0.count }) ?? true { best = key }
        }
        return best ?? model
    }

    /// The limit for `model`, or nil when none is known.
    public func limit(for model: String) -> Int64? { perModel[pool(for: model)] }
}
