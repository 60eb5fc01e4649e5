import Foundation

/// One result of `GET /organization/usage/completions`, grouped by `batch` and `model`.
public struct OrganizationUsageResult: Hashable, Sendable {
    /// Start of the bucket (unix seconds; the provider buckets in UTC).
    public var startTime: Int64
    /// The model, when grouped by model.
    public var model: String?
    /// Whether the usage ran through the Batch API, when grouped by batch.
    public var batch: Bool?
    /// Tokens: input (cached included), cached input, output.
    public var usage: TokenUsage
    /// `num_model_requests`.
    public var requests: Int64

    public init(startTime: Int64, model: String?, batch: Bool?, usage: TokenUsage, requests: Int64) {
        self.startTime = startTime; self.model = model; self.batch = batch; self.usage = usage; self.requests = requests
    }
}

/// One result of `GET /organization/costs` (daily buckets, UTC).
public struct OrganizationCostResult: Hashable, Sendable {
    /// Start of the bucket (unix seconds, UTC midnight).
    public var startTime: Int64
    /// The line item, when grouped by line item.
    public var lineItem: String?
    /// The amount, exactly as micro-dollars (rounded half up from the provider's decimal).
    public var amount: MicroDollars
    /// Quantity (tokens), when given.
    public var quantity: Int64?

    public init(startTime: Int64, lineItem: String?, amount: MicroDollars, quantity: Int64?) {
        self.startTime = startTime; self.lineItem = lineItem; self.amount = amount; self.quantity = quantity
    }
}

/// How array query parameters are written: `group_by[]=a&group_by[]=b` or `group_by=a&group_by=b`.
///
/// Rule: brackets by default, why: the official SDKs send them; the provider accepts both.
public enum QueryArrayEncoding: String, Sendable, CaseIterable {
    case brackets
    case repeated
}

/// The organisation usage and costs reports (admin key), every page read.
public protocol OrganizationReportsAPI: Sendable {
    /// Completions usage in daily buckets grouped by batch and model, `start ..< end` (unix seconds).
    func completionsUsage(start: Int64, end: Int64?) async throws -> [OrganizationUsageResult]
    /// Daily costs grouped by line item, `start ..< end`.
    func dailyCosts(start: Int64, end: Int64?) async throws -> [OrganizationCostResult]
}

// MARK: Wire shapes

struct ReportPageWire<Result: Decodable>: Decodable {
    struct Bucket: Decodable {
        var start_time: Int64
        var results: [Result]?
        var result: [Result]?
    }

    var data: [Bucket]
    var has_more: Bool?
    var next_page: String?

    /// Every result of the page with its bucket's start (`results`, or `result` as some proxies send it).
    var bucketResults: [(Int64, Result)] {
        data.flatMap { bucket in (bucket.results ?? bucket.result ?? []).map { (bucket.start_time, $0) } }
    }
}

struct UsageResultWire: Decodable {
    var input_tokens: Int64?
    var input_cached_tokens: Int64?
    var output_tokens: Int64?
    var num_model_requests: Int64?
    var model: String?
    var batch: Bool?

    /// The result in the bucket starting at `startTime`; a missing count is 0.
    func result(startTime: Int64) -> OrganizationUsageResult {
        OrganizationUsageResult(
            startTime: startTime, model: model, batch: batch,
            usage: TokenUsage(inputTokens: input_tokens ?? 0, cachedInputTokens: input_cached_tokens ?? 0, outputTokens: output_tokens ?? 0),
            requests: num_model_requests ?? 0)
    }
}

struct CostResultWire: Decodable {
    struct Amount: Decodable {
        var value: Decimal?
    }

    var amount: Amount?
    var line_item: String?
    var quantity: Decimal?

    /// The result in the bucket starting at `startTime`; a missing amount is $0.
    func result(startTime: Int64) -> OrganizationCostResult {
        OrganizationCostResult(
            startTime: startTime, lineItem: line_item, amount: MicroDollars(dollars: amount?.value ?? 0),
            quantity: quantity.map { NSDecimalNumber(decimal: $0).int64Value })
    }
}

extension MicroDollars {
    /// Dollars as an exact decimal -> micro-dollars, rounded half up (away from zero).
    init(dollars: Decimal) {
        var scaled = dollars * Decimal(1_000_000)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        self.init(NSDecimalNumber(decimal: rounded).int64Value)
    }
}
