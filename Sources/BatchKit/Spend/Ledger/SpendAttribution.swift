/// Chooses, per lane, which ledger sources count, so no token is counted twice.
///
/// Rule: the batch lane is `batch_job` (per job, with workloads); the real-time lane is `realtime_exec`
/// plus, for days with organisation usage, what that usage shows beyond batchtop's own executions
/// (workload `outsideBatchtop`). Organisation usage of the batch lane is not added (the jobs already
/// are): it only feeds the reconciliation with the provider's costs.
public enum SpendAttribution {
    /// The workload shown for real-time usage the provider reports but batchtop did not run.
    public static let outsideBatchtop = "(outside batchtop)"

    /// The rows that make up each lane's spend.
    public static func laneRows(_ ledger: [SpendLedgerRow]) -> [SpendLedgerRow] {
        var result: [SpendLedgerRow] = []
        // Real-time executions per (day, base model), to subtract from the provider's figure.
        var executed: [String: SpendLedgerRow] = [:]
        func key(_ r: SpendLedgerRow) -> String { r.day.description + "\u{1F}" + (ModelName.strippingDateSuffix(r.model) ?? r.model) }
        for row in ledger {
            switch (row.source, row.lane) {
            case (.batchJob, _), (.realtimeExec, _):
                result.append(row)
                if row.source == .realtimeExec { executed[key(row)] = executed[key(row)].map { sum($0, row) } ?? row }
            case (.orgUsage, _):
                continue
            }
        }
        for row in ledger where row.source == .orgUsage && row.lane == .realtime {
            var rest = row
            if let done = executed[key(row)] {
                rest.usage = TokenUsage(
                    inputTokens: max(0, row.usage.inputTokens - done.usage.inputTokens),
                    cachedInputTokens: max(0, row.usage.cachedInputTokens - done.usage.cachedInputTokens),
                    outputTokens: max(0, row.usage.outputTokens - done.usage.outputTokens),
                    reasoningTokens: max(0, row.usage.reasoningTokens - done.usage.reasoningTokens))
                rest.requests = max(0, row.requests - done.requests)
                rest.cost = MicroDollars(max(0, row.cost.value - done.cost.value))
                rest.unpricedTokens = max(0, row.unpricedTokens - done.unpricedTokens)
                // Consumed once: a second dated name of the same base model must not subtract it again.
                executed[key(row)] = nil
            }
            guard rest.cost.value > 0 || rest.unpricedTokens > 0 || rest.usage.totalTokens > 0 else { continue }
            rest.workload = outsideBatchtop
            result.append(rest)
        }
        return result
    }

    static func sum(_ a: SpendLedgerRow, _ b: SpendLedgerRow) -> SpendLedgerRow {
        var r = a
        r.usage = a.usage.saturatingAdding(b.usage)
        r.requests += b.requests
        r.cost = a.cost.saturatingAdding(b.cost)
        r.unpricedTokens = a.unpricedTokens.saturatingAdding(b.unpricedTokens)
        return r
    }

    /// Per UTC day with organisation data: usage priced per lane against the provider's billed costs.
    public static func reconcile(ledger: [SpendLedgerRow], costs: [ProviderCostItem], days: Set<CalendarDay>) -> [DayReconciliation] {
        var byDay: [CalendarDay: DayReconciliation] = [:]
        for day in days { byDay[day] = DayReconciliation(day: day) }
        for row in ledger where row.source == .orgUsage && days.contains(row.day) {
            guard var day = byDay[row.day] else { continue }
            day.usageCost[row.lane] = (day.usageCost[row.lane] ?? .zero).saturatingAdding(row.cost)
            day.unpricedTokens = day.unpricedTokens.saturatingAdding(row.unpricedTokens)
            byDay[row.day] = day
        }
        for item in costs where days.contains(item.day) {
            guard var day = byDay[item.day] else { continue }
            day.providerCost = day.providerCost.saturatingAdding(item.amount)
            byDay[item.day] = day
        }
        return byDay.values.sorted { $0.day < $1.day }
    }
}

/// One UTC day of the provider's figures: usage priced by batchtop against what the costs API billed.
public struct DayReconciliation: Hashable, Sendable, Codable {
    /// The UTC day (the provider buckets in UTC).
    public var day: CalendarDay
    /// `usage/completions` priced per lane (`batch=true` at batch rates).
    public var usageCost: [Lane: MicroDollars] = [:]
    /// Tokens in that usage no price covers.
    public var unpricedTokens: Int64 = 0
    /// The day's total from `GET /organization/costs`.
    public var providerCost: MicroDollars = .zero

    public init(day: CalendarDay) { self.day = day }

    /// Usage priced over both lanes.
    public var pricedUsage: MicroDollars { usageCost.values.reduce(.zero) { $0.saturatingAdding($1) } }

    /// Billed but not explained by priced completions usage (embeddings, other products, unpriced models,
    /// price differences); negative when the usage prices above the bill. Shown, never hidden.
    public var unattributed: MicroDollars { providerCost.saturatingSubtracting(pricedUsage) }
}
