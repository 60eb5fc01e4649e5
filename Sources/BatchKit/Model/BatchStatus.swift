/// The provider's status of a batch, kept as its raw string so an unknown value survives.
///
/// Rule: an unknown status is shown as-is and treated as non-terminal, why: the provider may add
/// states, and guessing "finished" would stop polling a job that is still running.
public struct BatchStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let validating = BatchStatus("validating")
    public static let failed = BatchStatus("failed")
    public static let inProgress = BatchStatus("in_progress")
    public static let finalizing = BatchStatus("finalizing")
    public static let completed = BatchStatus("completed")
    public static let expired = BatchStatus("expired")
    public static let cancelling = BatchStatus("cancelling")
    public static let cancelled = BatchStatus("cancelled")

    /// Every status the provider documents, in life-cycle order.
    public static let known: [BatchStatus] = [
        .validating, .inProgress, .finalizing, .completed, .failed, .expired, .cancelling, .cancelled,
    ]

    /// Whether the status is documented by the provider.
    public var isKnown: Bool { Self.known.contains(self) }

    /// Whether the batch can no longer change (completed, failed, expired, cancelled).
    public var isTerminal: Bool {
        self == .completed || self == .failed || self == .expired || self == .cancelled
    }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
