import Foundation

/// Everything that shapes one emulator instance: keys, clock, seed, scenario, limits and timings.
public struct EmulatorConfig: Sendable {
    /// The default project key: files, batches and the real-time endpoints.
    public static let defaultProjectKey = "sk-emulator-project"
    /// The default admin key: `/v1/organization/*` only.
    public static let defaultAdminKey = "sk-emulator-admin"
    /// 2026-01-01T00:00:00Z, the manual clock's default start.
    public static let defaultManualStart: Int64 = 1_767_225_600

    /// Loopback port; 0 picks a free one.
    public var port: UInt16 = 0
    /// Bearer key accepted for files, batches and inference.
    public var projectKey = EmulatorConfig.defaultProjectKey
    /// Bearer key accepted for `/v1/organization/*`.
    public var adminKey = EmulatorConfig.defaultAdminKey
    /// The project every request with the project key belongs to.
    public var projectID = "proj_emulator"
    /// The organisation id used in messages and headers.
    public var organizationID = "org-emulator"
    /// Seed of every random choice; same seed and same calls give the same world.
    public var seed: UInt64 = 42
    /// Which world to start with.
    public var scenario: ScenarioName = .empty
    /// How the clock moves.
    public var clockMode: SimulatedClock.Mode = .manual
    /// Start of the simulated clock, unix seconds; nil means the real time now for an accelerated clock
    /// and `defaultManualStart` for a manual one.
    public var startTime: Int64?
    /// Whether `/_emulator/*` (advance time, faults, counters) answers; off unless asked for.
    public var controlEnabled = false
    /// Where files live; nil means a fresh temporary directory removed on `stop()`.
    public var dataDirectory: URL?
    /// Share of batch requests that fail with a 500 line, 0...1.
    public var requestFailureRate = 0.02
    /// Enqueued input-token limit per model for batches (`batch_1_day_max_input_tokens`); others use `defaultTokenLimit`.
    public var tokenLimits: [String: Int] = [:]
    /// Enqueued input-token limit for models not in `tokenLimits`.
    public var defaultTokenLimit = 20_000_000
    /// Most input lines per batch file.
    public var maxRequestsPerBatch = 50_000
    /// Largest batch input file, bytes.
    public var maxBatchFileBytes: Int64 = 200 * 1024 * 1024
    /// Largest upload of any purpose, bytes.
    public var maxUploadBytes: Int64 = 512 * 1024 * 1024
    /// Simulated seconds a batch spends in `validating`.
    public var validationSeconds: ClosedRange<Int> = 20...90
    /// Simulated seconds of processing per request, added to `baseProcessingSeconds`.
    public var processingSecondsPerRequest: ClosedRange<Double> = 0.5...3.0
    /// Fixed part of the processing time, simulated seconds.
    public var baseProcessingSeconds: ClosedRange<Int> = 300...1_800
    /// Cap on drawn processing times, simulated seconds; above 86,400 lets big batches expire.
    public var maxProcessingSeconds = 20 * 3_600
    /// Simulated seconds a batch spends in `finalizing`.
    public var finalizingSeconds: ClosedRange<Int> = 30...180
    /// Simulated seconds a batch spends in `cancelling` (the live service: up to 10 minutes).
    public var cancellingSeconds: ClosedRange<Int> = 30...600

    /// A configuration with every default: empty world, manual clock, control API off.
    public init() {}

    /// The enqueued-token limit of `model` (base or dated name).
    public func tokenLimit(for model: String) -> Int {
        tokenLimits[model] ?? tokenLimits[ModelCatalog.baseName(of: model)] ?? defaultTokenLimit
    }
}

/// The worlds the emulator can start with.
public enum ScenarioName: String, Sendable, CaseIterable {
    /// No files, no batches, no history.
    case empty
    /// An organisation with several workloads, a week of history in both lanes and batches in every status.
    case demo
}
