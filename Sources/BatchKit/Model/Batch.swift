/// A provider batch as the Batch API returns it, decoded leniently.
///
/// Rule: only `id` and `status` are required, why: the live service omits or nulls fields the spec
/// lists (older batches have no `usage` or `model`), and one odd field must not hide a whole job.
/// Rule: decoded timestamps are clamped to ±`latestTimestamp` and request counts to 0...`maxRequestCount`,
/// why: the pure readers of a batch compute with them (ETA is elapsed x pending / done), and a hostile or broken
/// provider sending `"created_at": 9223372036854775807` trapped the sync worker and the dashboard (found by the
/// API fuzz target); no real batch comes near either bound, so a clamped figure is merely absurd, never a crash.
public struct Batch: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var endpoint: String
    public var model: String?
    public var errors: [BatchErrorItem]
    public var inputFileID: String
    public var completionWindow: String
    public var status: BatchStatus
    public var outputFileID: String?
    public var errorFileID: String?
    public var createdAt: Int64
    public var inProgressAt: Int64?
    public var expiresAt: Int64?
    public var finalizingAt: Int64?
    public var completedAt: Int64?
    public var failedAt: Int64?
    public var expiredAt: Int64?
    public var cancellingAt: Int64?
    public var cancelledAt: Int64?
    public var requestCounts: RequestCounts
    public var usage: TokenUsage?
    public var metadata: [String: String]

    public init(
        id: String, endpoint: String = "/v1/chat/completions", model: String? = nil,
        errors: [BatchErrorItem] = [], inputFileID: String = "", completionWindow: String = "24h",
        status: BatchStatus, outputFileID: String? = nil, errorFileID: String? = nil,
        createdAt: Int64, inProgressAt: Int64? = nil, expiresAt: Int64? = nil,
        finalizingAt: Int64? = nil, completedAt: Int64? = nil, failedAt: Int64? = nil,
        expiredAt: Int64? = nil, cancellingAt: Int64? = nil, cancelledAt: Int64? = nil,
        requestCounts: RequestCounts = RequestCounts(), usage: TokenUsage? = nil,
        metadata: [String: String] = [:]
    ) {
        self.id = id; self.endpoint = endpoint; self.model = model; self.errors = errors
        self.inputFileID = inputFileID; self.completionWindow = completionWindow; self.status = status
        self.outputFileID = outputFileID; self.errorFileID = errorFileID; self.createdAt = createdAt
        self.inProgressAt = inProgressAt; self.expiresAt = expiresAt; self.finalizingAt = finalizingAt
        self.completedAt = completedAt; self.failedAt = failedAt; self.expiredAt = expiredAt
        self.cancellingAt = cancellingAt; self.cancelledAt = cancelledAt
        self.requestCounts = requestCounts; self.usage = usage; self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id, object, endpoint, model, errors, status, metadata, usage
        case inputFileID = "input_file_id"
        case completionWindow = "completion_window"
        case outputFileID = "output_file_id"
        case errorFileID = "error_file_id"
        case createdAt = "created_at"
        case inProgressAt = "in_progress_at"
        case expiresAt = "expires_at"
        case finalizingAt = "finalizing_at"
        case completedAt = "completed_at"
        case failedAt = "failed_at"
        case expiredAt = "expired_at"
        case cancellingAt = "cancelling_at"
        case cancelledAt = "cancelled_at"
        case requestCounts = "request_counts"
    }

    struct ErrorList: Codable {
        var data: [BatchErrorItem]?
    }

    /// The latest timestamp a decoded batch keeps: 9999-12-31T23:59:59Z.
    public static let latestTimestamp: Int64 = 253_402_300_799

    /// A decoded timestamp within ±`latestTimestamp` (so the difference of two stays far from overflow).
    static func clampedTimestamp(_ t: Int64?) -> Int64? { t.map { min(max($0, -latestTimestamp), latestTimestamp) } }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func time(_ key: CodingKeys) throws -> Int64? { Self.clampedTimestamp(try c.decodeIfPresent(Int64.self, forKey: key)) }
        id = try c.decode(String.self, forKey: .id)
        status = try c.decode(BatchStatus.self, forKey: .status)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint) ?? ""
        model = try c.decodeIfPresent(String.self, forKey: .model)
        errors = (try? c.decodeIfPresent(ErrorList.self, forKey: .errors))??.data ?? []
        inputFileID = try c.decodeIfPresent(String.self, forKey: .inputFileID) ?? ""
        completionWindow = try c.decodeIfPresent(String.self, forKey: .completionWindow) ?? "24h"
        outputFileID = try c.decodeIfPresent(String.self, forKey: .outputFileID)
        errorFileID = try c.decodeIfPresent(String.self, forKey: .errorFileID)
        createdAt = try time(.createdAt) ?? 0
        inProgressAt = try time(.inProgressAt)
        expiresAt = try time(.expiresAt)
        finalizingAt = try time(.finalizingAt)
        completedAt = try time(.completedAt)
        failedAt = try time(.failedAt)
        expiredAt = try time(.expiredAt)
        cancellingAt = try time(.cancellingAt)
        cancelledAt = try time(.cancelledAt)
        requestCounts = (try? c.decodeIfPresent(RequestCounts.self, forKey: .requestCounts)) ?? RequestCounts()
        usage = try? c.decodeIfPresent(TokenUsage.self, forKey: .usage)
        // Metadata values are strings by contract; anything else is dropped rather than failing the job.
        metadata = (try? c.decodeIfPresent([String: String].self, forKey: .metadata)) ?? [:]
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode("batch", forKey: .object)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(model, forKey: .model)
        try c.encode(errors.isEmpty ? nil : ErrorList(data: errors), forKey: .errors)
        try c.encode(inputFileID, forKey: .inputFileID)
        try c.encode(completionWindow, forKey: .completionWindow)
        try c.encode(status, forKey: .status)
        try c.encode(outputFileID, forKey: .outputFileID)
        try c.encode(errorFileID, forKey: .errorFileID)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(inProgressAt, forKey: .inProgressAt)
        try c.encode(expiresAt, forKey: .expiresAt)
        try c.encode(finalizingAt, forKey: .finalizingAt)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(failedAt, forKey: .failedAt)
        try c.encode(expiredAt, forKey: .expiredAt)
        try c.encode(cancellingAt, forKey: .cancellingAt)
        try c.encode(cancelledAt, forKey: .cancelledAt)
        try c.encode(requestCounts, forKey: .requestCounts)
        try c.encode(usage, forKey: .usage)
        try c.encode(metadata, forKey: .metadata)
    }
}

/// `request_counts` of a batch; `total` is 0 while validating.
public struct RequestCounts: Codable, Sendable, Hashable {
    public var total: Int
    public var completed: Int
    public var failed: Int

    public init(total: Int = 0, completed: Int = 0, failed: Int = 0) {
        self.total = total; self.completed = completed; self.failed = failed
    }

    /// Requests neither completed nor failed yet.
    public var pending: Int { max(0, total - completed - failed) }

    /// The largest decoded count kept (the provider's limit is 50,000 requests per batch).
    public static let maxRequestCount = 10_000_000

    /// Counts are clamped to 0...`maxRequestCount` (see `Batch`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { min(max(try c.decodeIfPresent(Int.self, forKey: key) ?? 0, 0), Self.maxRequestCount) }
        total = try count(.total)
        completed = try count(.completed)
        failed = try count(.failed)
    }

    enum CodingKeys: String, CodingKey { case total, completed, failed }
}

/// One entry of `Batch.errors.data`: why a batch was rejected, with the input line when known.
public struct BatchErrorItem: Codable, Sendable, Hashable {
    public var code: String?
    public var message: String?
    public var param: String?
    public var line: Int?

    public init(code: String?, message: String?, param: String? = nil, line: Int? = nil) {
        self.code = code; self.message = message; self.param = param; self.line = line
    }
}
