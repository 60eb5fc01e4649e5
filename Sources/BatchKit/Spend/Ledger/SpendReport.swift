import Foundation

/// How `batchtop spend` groups its rows.
public enum SpendGrouping: String, CaseIterable, Sendable, Codable {
    case lane, model, workload, day
}

/// Spend over a range of calendar days: rows, lane totals with budgets, savings, reconciliation. Pure.
public struct SpendReport: Sendable {
    /// One aggregated row (grouping key within a lane).
    public struct Row: Hashable, Sendable {
        /// The group: lane name, model, workload (`(none)` when unknown) or day.
        public var key: String
        /// The lane.
        public var lane: Lane
        /// Summed tokens.
        public var usage: TokenUsage
        /// Requests.
        public var requests: Int64
        /// Cost.
        public var cost: MicroDollars
        /// Tokens no price covers.
        public var unpricedTokens: Int64
    }

    /// One lane's total in the range and its budget state today / this month.
    public struct LaneTotal: Hashable, Sendable {
        public var lane: Lane
        public var cost: MicroDollars
        public var usage: TokenUsage
        public var unpricedTokens: Int64
        /// Day and month statuses of the lane's budget (empty without one).
        public var budget: [BudgetStatus]
        /// The worst level of `budget`.
        public var level: BudgetLevel { BudgetEvaluator.worst(budget) }
    }

    /// First day (inclusive).
    public var from: CalendarDay
    /// Last day (inclusive).
    public var to: CalendarDay
    /// The day budgets are evaluated for.
    public var today: CalendarDay
    /// The time zone id of job and execution days.
    public var timeZoneID: String
    /// The grouping of `rows`.
    public var grouping: SpendGrouping
    /// Rows, by lane then cost (largest first).
    public var rows: [Row]
    /// Every lane, with totals and budgets.
    public var lanes: [LaneTotal]
    /// What the batch lane saved in the range versus real-time rates.
    public var savings: Savings
    /// Every budget status.
    public var budgets: [BudgetStatus]
    /// UTC days with organisation data in the range, usage vs billed costs.
    public var reconciliation: [DayReconciliation]
    /// Models with tokens no price covers, in the range.
    public var unpricedModels: [String]

    /// The total over every lane.
    public var total: MicroDollars { lanes.reduce(.zero) { $0.saturatingAdding($1.cost) } }
    /// The worst budget level (the basis of `--check`).
    public var level: BudgetLevel { BudgetEvaluator.worst(budgets) }
    /// Billed by the provider but not explained by priced usage, over the reconciled days.
    public var unattributed: MicroDollars { reconciliation.reduce(.zero) { $0.saturatingAdding($1.unattributed) } }

    /// Builds the report from ledger rows covering at least `from...to` and today's month.
    public static func build(ledger: [SpendLedgerRow], providerCosts: [ProviderCostItem], organizationDays: Set<CalendarDay>,
                             from: CalendarDay, to: CalendarDay, today: CalendarDay, grouping: SpendGrouping,
                             budgets: [Budget], prices: PriceTable, timeZoneID: String) -> SpendReport {
        let laneRows = SpendAttribution.laneRows(ledger)
        let inRange = laneRows.filter { $0.day >= from && $0.day <= to }
        var grouped: [String: Row] = [:]
        for r in inRange {
            let key: String
            switch grouping {
            case .lane: key = r.lane.rawValue
            case .model: key = r.model
            case .workload: key = r.workload.isEmpty ? "(none)" : r.workload
            case .day: key = r.day.description
            }
            let slot = r.lane.rawValue + "\u{1F}" + key
            var row = grouped[slot] ?? Row(key: key, lane: r.lane, usage: TokenUsage(), requests: 0, cost: .zero, unpricedTokens: 0)
            row.usage = row.usage.saturatingAdding(r.usage)
            row.requests += r.requests
            row.cost = row.cost.saturatingAdding(r.cost)
            row.unpricedTokens = row.unpricedTokens.saturatingAdding(r.unpricedTokens)
            grouped[slot] = row
        }
        let rows = grouped.values.sorted {
            ($0.lane.rawValue, grouping == .day ? 0 : -$0.cost.value, $0.key) < ($1.lane.rawValue, grouping == .day ? 0 : -$1.cost.value, $1.key)
        }
        let period = PeriodSpend.byLane(laneRows.map { ($0.day, $0.lane, $0.cost) }, today: today)
        let statuses = BudgetEvaluator.evaluate(budgets, spend: period)
        let lanes = Lane.allCases.map { lane -> LaneTotal in
            let mine = inRange.filter { $0.lane == lane }
            return LaneTotal(
                lane: lane, cost: mine.reduce(.zero) { $0.saturatingAdding($1.cost) },
                usage: mine.reduce(TokenUsage()) { $0.saturatingAdding($1.usage) },
                unpricedTokens: mine.reduce(0) { $0.saturatingAdding($1.unpricedTokens) },
                budget: statuses.filter { $0.lane == lane })
        }
        var batchUsage: [String: TokenUsage] = [:]
        for r in inRange where r.lane == .batch { batchUsage[r.model] = (batchUsage[r.model] ?? TokenUsage()).saturatingAdding(r.usage) }
        let days = organizationDays.filter { $0 >= from && $0 <= to }
        let reconciliation = SpendAttribution.reconcile(ledger: ledger, costs: providerCosts, days: days)
        let unpriced = Set(inRange.filter { $0.unpricedTokens > 0 }.map(\.model)).sorted()
        return SpendReport(from: from, to: to, today: today, timeZoneID: timeZoneID, grouping: grouping, rows: rows,
                           lanes: lanes, savings: Savings.of(batchUsage: batchUsage, prices: prices), budgets: statuses,
                           reconciliation: reconciliation, unpricedModels: unpriced)
    }

    /// Reads what the report needs from `store` and builds it.
    public static func load(store: BatchStore, settings: SpendSettings, prices: PriceTable, from: CalendarDay,
                            to: CalendarDay, today: CalendarDay, grouping: SpendGrouping) throws -> SpendReport {
        let first = min(from, today.firstOfMonth)
        let last = max(to, today)
        return build(ledger: try store.spendRows(from: first, to: last),
                     providerCosts: try store.providerCosts(from: from, to: to),
                     organizationDays: try store.organizationDays(from: from, to: to),
                     from: from, to: to, today: today, grouping: grouping, budgets: settings.budgets, prices: prices,
                     timeZoneID: settings.timeZone.secondsFromGMT() == 0 && settings.timeZone.identifier == "GMT" ? "UTC" : settings.timeZone.identifier)
    }
}
