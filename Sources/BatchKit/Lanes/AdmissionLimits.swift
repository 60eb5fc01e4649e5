/// The enqueued input-token limit per model, from the project's rate limits or from config.
///
/// Rule: a limit named `gpt-4o` also governs its dated snapshots (`gpt-4o-2024-08-06`: the name, a dash,
/// then a digit) but not other models that share a prefix (`gpt-4o-mini`), and the longest matching
/// name wins, why: the provider lists limits per model while batches report the snapshot they ran
/// on. Tokens are pooled under the governing name.
public struct AdmissionLimits: Codable, Sendable, Hashable {
    /// Limit in input tokens, keyed by model name.
    public var perModel: [String: Int64]

    public init(_ perModel: [String: Int64] = [:]) { self.perModel = perModel }

    /// The name whose limit governs `model` (the model itself when no limit matches).
    public func pool(for model: String) -> String {
        if perModel[model] != nil { return model }
        var best: String?
        for key in perModel.keys where model.hasPrefix(key + "-") {
            let rest = model.dropFirst(key.count + 1)
            guard let first = rest.first, first.isASCII, first.isNumber else { continue }
            if best.map({ key.count > $0.count }) ?? true { best = key }
        }
        return best ?? model
    }

    /// The limit for `model`, or nil when none is known.
    public func limit(for model: String) -> Int64? { perModel[pool(for: model)] }
}
