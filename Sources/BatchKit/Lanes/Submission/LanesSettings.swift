/// The `[lanes]` config section: chunk limits, enqueued-token limits per model, real-time concurrency.
///
/// ```toml
/// [lanes]
/// max_requests_per_chunk = 50000      # provider limit per batch
/// max_bytes_per_chunk = 200000000     # provider limit per batch file
/// realtime_concurrency = 8            # requests in flight in the real-time lane
///
/// [lanes.limits]                      # enqueued input tokens per model (batch_1_day_max_input_tokens)
/// "gpt-4o-mini" = 2000000
/// ```
/// Limits from config win over the project's `rate_limits` (read with an admin key), why: a team may
/// want to keep part of the queue free for others sharing the project.
public struct LanesSettings: Sendable, Hashable {
    public var chunkLimits: ChunkLimits
    /// Enqueued-token limits per model from config.
    public var tokenLimits: AdmissionLimits
    /// Real-time requests in flight at once.
    public var realtimeConcurrency: Int

    public init(chunkLimits: ChunkLimits = ChunkLimits(), tokenLimits: AdmissionLimits = AdmissionLimits(), realtimeConcurrency: Int = 8) {
        self.chunkLimits = chunkLimits; self.tokenLimits = tokenLimits; self.realtimeConcurrency = realtimeConcurrency
    }

    static let keys: Set<String> = ["max_requests_per_chunk", "max_bytes_per_chunk", "realtime_concurrency", "limits"]

    /// Reads the raw `[lanes]` section kept in `BatchtopConfig.reservedSections`.
    public init(config: BatchtopConfig) throws(LanesConfigError) {
        try self.init(section: config.reservedSections["lanes"], path: config.paths.configFile.value.path)
    }

    /// Reads a raw `[lanes]` section (nil: every default).
    public init(section: ConfigValue?, path: String) throws(LanesConfigError) {
        self.init()
        guard let section else { return }
        guard let table = section.tableValue else { throw LanesConfigError(path: path, key: "lanes", message: "must be a table") }
        if let unknown = table.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw LanesConfigError(path: path, key: "lanes.\(unknown)", message: "is not a setting; known: \(Self.keys.sorted().joined(separator: ", "))")
        }
        func positive(_ key: String, max: Int) throws(LanesConfigError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let n = value.integerValue, n > 0, n <= max else {
                throw LanesConfigError(path: path, key: "lanes.\(key)", message: "must be an integer from 1 to \(max), got \(value)")
            }
            return n
        }
        if let n = try positive("max_requests_per_chunk", max: 50_000) { chunkLimits.maxRequests = n }
        if let n = try positive("max_bytes_per_chunk", max: 200_000_000) { chunkLimits.maxBytes = Int64(n) }
        if let n = try positive("realtime_concurrency", max: 256) { realtimeConcurrency = n }
        if let limits = table["limits"] {
            guard let models = limits.tableValue else {
                throw LanesConfigError(path: path, key: "lanes.limits", message: "must be a table of model = tokens")
            }
            for (model, value) in models {
                guard let n = value.integerValue, n > 0 else {
                    throw LanesConfigError(path: path, key: "lanes.limits.\"\(model)\"", message: "must be a positive number of tokens, got \(value)")
                }
                tokenLimits.perModel[model] = Int64(n)
            }
        }
    }
}

/// A bad `[lanes]` setting, with the file and key to fix.
public struct LanesConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var key: String
    public var message: String

    public var description: String { "\(path): \(key) \(message)" }
}
