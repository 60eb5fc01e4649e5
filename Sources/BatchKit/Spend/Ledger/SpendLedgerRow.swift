/// Where a ledger row's figures came from.
public enum SpendSource: String, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    /// A provider batch: its `usage`, or its downloaded output file, at batch rates.
    case batchJob = "batch_job"
    /// A real-time execution batchtop ran itself and reported.
    case realtimeExec = "realtime_exec"
    /// The organisation usage API (admin key), one UTC day per source key.
    case orgUsage = "org_usage"

    public var description: String { rawValue }
}

/// One row of the daily spend ledger: day x lane x model x workload x source, tokens by class and cost.
///
/// Rule: cost is priced once per row from its summed tokens, why: per-request rounding would drift.
/// An unpriced model keeps its tokens in `unpricedTokens` and costs zero here, and is always reported.
public struct SpendLedgerRow: Hashable, Sendable, Codable {
    /// The source.
    public var source: SpendSource
    /// The unit the source rebuilds as a whole (a job id, an execution id, a UTC day).
    public var sourceKey: String
    /// Calendar day (configured time zone for jobs and executions; UTC for `org_usage`).
    public var day: CalendarDay
    /// The lane.
    public var lane: Lane
    /// The model as the source names it (dated names kept).
    public var model: String
    /// The workload; empty when unknown.
    public var workload: String
    /// Summed tokens.
    public var usage: TokenUsage
    /// Requests that reported usage.
    public var requests: Int64
    /// Priced cost (zero when unpriced).
    public var cost: MicroDollars
    /// Tokens that could not be priced (unknown model or lane without rates).
    public var unpricedTokens: Int64

    public init(source: SpendSource, sourceKey: String, day: CalendarDay, lane: Lane, model: String, workload: String,
                usage: TokenUsage, requests: Int64, cost: MicroDollars, unpricedTokens: Int64) {
        self.source = source; self.sourceKey = sourceKey; self.day = day; self.lane = lane; self.model = model
        self.workload = workload; self.usage = usage; self.requests = requests; self.cost = cost
        self.unpricedTokens = unpricedTokens
    }

    /// A row priced with `prices` in `lane`.
    public static func priced(source: SpendSource, sourceKey: String, day: CalendarDay, lane: Lane, model: String,
                              workload: String?, usage: TokenUsage, requests: Int64, prices: PriceTable) -> SpendLedgerRow {
        let priced = prices.price(usage, model: model, lane: lane)
        return SpendLedgerRow(
            source: source, sourceKey: sourceKey, day: day, lane: lane, model: model, workload: workload ?? "",
            usage: usage, requests: requests, cost: priced.cost?.total ?? .zero,
            unpricedTokens: priced.isPriced ? 0 : max(0, usage.inputTokens) + max(0, usage.outputTokens))
    }
}

/// Everything one source key contributes to the ledger; stored by replacing the key's previous rows.
public struct SpendEntry: Hashable, Sendable {
    /// The source.
    public var source: SpendSource
    /// The key within the source (job id, execution id, UTC day).
    public var key: String
    /// How the figures were obtained (`usage`, `output_file`, `awaiting_file`, `nothing`, `api`, `reported`).
    public var basis: String
    /// Extra words for people (unreadable lines, unpriced models...), or nil.
    public var detail: String?
    /// The rows; may be empty (the key is still recorded, so it is not rebuilt for nothing).
    public var rows: [SpendLedgerRow]

    public init(source: SpendSource, key: String, basis: String, detail: String? = nil, rows: [SpendLedgerRow]) {
        self.source = source; self.key = key; self.basis = basis; self.detail = detail; self.rows = rows
    }
}

/// One line item of the provider's daily costs (`GET /organization/costs`, UTC days).
public struct ProviderCostItem: Hashable, Sendable, Codable {
    /// The UTC day of the bucket.
    public var day: CalendarDay
    /// The line item, e.g. `gpt-4o-mini-2024-07-18, input (batch)`; empty when not grouped.
    public var lineItem: String
    /// The amount billed.
    public var amount: MicroDollars
    /// Tokens, when the provider says.
    public var quantity: Int64?

    public init(day: CalendarDay, lineItem: String, amount: MicroDollars, quantity: Int64? = nil) {
        self.day = day; self.lineItem = lineItem; self.amount = amount; self.quantity = quantity
    }

    /// The model and lane a line item names (`"<model>, <class>[ (batch)]"`), or nil when it names none.
    public var parsed: (model: String, lane: Lane)? {
        guard let comma = lineItem.range(of: ", ") else { return nil }
        let model = String(lineItem[..<comma.lowerBound])
        guard !model.isEmpty else { return nil }
        return (model, lineItem.hasSuffix(" (batch)") ? .batch : .realtime)
    }
}
