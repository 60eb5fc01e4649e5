/// Model names the emulator knows: dated snapshot names, reasoning models, embeddings.
public enum ModelCatalog {
    /// Base name -> the dated snapshot the live service reports in `Batch.model` and output lines.
    static let snapshots: [String: String] = [
        "gpt-5": "gpt-5-2025-08-07",
        "gpt-5-mini": "gpt-5-mini-2025-08-07",
        "gpt-5-nano": "gpt-5-nano-2025-08-07",
        "gpt-5.1": "gpt-5.1-2025-11-13",
        "gpt-4.1": "gpt-4.1-2025-04-14",
        "gpt-4.1-mini": "gpt-4.1-mini-2025-04-14",
        "gpt-4.1-nano": "gpt-4.1-nano-2025-04-14",
        "gpt-4o": "gpt-4o-2024-08-06",
        "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
        "o3": "o3-2025-04-16",
        "o3-mini": "o3-mini-2025-01-31",
        "o4-mini": "o4-mini-2025-04-16",
        "o1": "o1-2024-12-17",
    ]

    /// The dated name for `model`, or `model` itself when it has none (embeddings, unknown models).
    public static func snapshot(of model: String) -> String { snapshots[model] ?? model }

    /// The base name of a dated snapshot (`gpt-4o-mini-2024-07-18` -> `gpt-4o-mini`); other names unchanged.
    public static func baseName(of model: String) -> String {
        let parts = model.split(separator: "-")
        guard parts.count > 3,
              let year = Int(parts[parts.count - 3]), year > 2000,
              parts[parts.count - 2].count == 2, parts[parts.count - 1].count == 2 else { return model }
        return parts.dropLast(3).joined(separator: "-")
    }

    /// Whether the model spends reasoning tokens.
    static func isReasoning(_ model: String) -> Bool {
        let base = baseName(of: model)
        return base.hasPrefix("gpt-5") || base.hasPrefix("o1") || base.hasPrefix("o3") || base.hasPrefix("o4")
    }

    /// Models listed by the rate-limits endpoint.
    static let rateLimitedModels = [
        "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
        "gpt-4o", "gpt-4o-mini", "o3", "o4-mini", "text-embedding-3-small", "text-embedding-3-large",
    ]
}
