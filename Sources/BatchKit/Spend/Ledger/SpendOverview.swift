/// The numbers the dashboard's Spend pane shows (mapped to `SpendSnapshot` by the integrator).
public struct SpendOverview: Hashable, Sendable {
    /// One lane today.
    public struct LaneToday: Hashable, Sendable {
        public var lane: Lane
        public var spent: MicroDollars
        /// The lane's daily budget, if set.
        public var dailyBudget: MicroDollars?
    }

    /// One day's spend per lane.
    public struct Day: Hashable, Sendable {
        public var day: CalendarDay
        public var perLane: [Lane: MicroDollars]
    }

    /// A workload or model with its spend.
    public struct Named: Hashable, Sendable {
        public var name: String
        public var amount: MicroDollars
    }

    /// Today (configured time zone).
    public var day: CalendarDay
    /// Every lane today.
    public var today: [LaneToday]
    /// The last 30 days (today included), oldest first, spend per lane.
    public var daily: [Day]
    /// Savings of the batch lane today.
    public var savedToday: MicroDollars
    /// Savings over the last 7 days.
    public var saved7Days: MicroDollars
    /// Savings over the last 30 days.
    public var saved30Days: MicroDollars
    /// Per lane totals over the last 7 and 30 days.
    public var last7Days: [Lane: MicroDollars]
    public var last30Days: [Lane: MicroDollars]
    /// Workloads by spend today, largest first (at most 10).
    public var topWorkloads: [Named]
    /// Models by spend today, largest first (at most 10).
    public var topModels: [Named]
    /// Warning and critical thresholds as fractions (from the first budget; 0.8 and 1.0 by default).
    public var warnFraction: Double
    public var criticalFraction: Double
    /// Budget statuses (day and month) per lane.
    public var budgets: [BudgetStatus]

    /// Builds the overview from ledger rows covering the last 30 days and this month; pure.
    public static func build(ledger: [SpendLedgerRow], today: CalendarDay, budgets: [Budget], prices: PriceTable) -> SpendOverview {
        let rows = SpendAttribution.laneRows(ledger)
        let first30 = today.adding(days: -29), first7 = today.adding(days: -6)
        func total(_ filter: (SpendLedgerRow) -> Bool) -> [Lane: MicroDollars] {
            var out: [Lane: MicroDollars] = [:]
            for r in rows where filter(r) { out[r.lane] = (out[r.lane] ?? .zero).saturatingAdding(r.cost) }
            return out
        }
        func saved(_ filter: (SpendLedgerRow) -> Bool) -> MicroDollars {
            var usage: [String: TokenUsage] = [:]
            for r in rows where r.lane == .batch && filter(r) { usage[r.model] = (usage[r.model] ?? TokenUsage()).saturatingAdding(r.usage) }
            return Savings.of(batchUsage: usage, prices: prices).saved
        }
        func top(_ name: (SpendLedgerRow) -> String) -> [Named] {
            var sums: [String: MicroDollars] = [:]
            for r in rows where r.day == today { sums[name(r)] = (sums[name(r)] ?? .zero).saturatingAdding(r.cost) }
            let named = sums.map { Named(name: $0.key, amount: $0.value) }
            return Array(named.sorted { a, b in (b.amount.value, a.name) < (a.amount.value, b.name) }.prefix(10))
        }
        let todayTotals = total { $0.day == today }
        let statuses = BudgetEvaluator.evaluate(budgets, spend: PeriodSpend.byLane(rows.map { ($0.day, $0.lane, $0.cost) }, today: today))
        let daily = (0..<30).map { offset -> Day in
            let day = first30.adding(days: offset)
            return Day(day: day, perLane: total { $0.day == day })
        }
        let firstBudget = budgets.first
        return SpendOverview(
            day: today,
            today: Lane.allCases.map { lane in
                LaneToday(lane: lane, spent: todayTotals[lane] ?? .zero, dailyBudget: budgets.first { $0.lane == lane }?.daily)
            },
            daily: daily, savedToday: saved { $0.day == today }, saved7Days: saved { $0.day >= first7 && $0.day <= today },
            saved30Days: saved { $0.day >= first30 && $0.day <= today },
            last7Days: total { $0.day >= first7 && $0.day <= today }, last30Days: total { $0.day >= first30 && $0.day <= today },
            topWorkloads: top { $0.workload.isEmpty ? "(none)" : $0.workload }, topModels: top { $0.model },
            warnFraction: Double(firstBudget?.warningPercent ?? 80) / 100, criticalFraction: Double(firstBudget?.criticalPercent ?? 100) / 100,
            budgets: statuses)
    }

    /// Reads the ledger and builds the overview for `today` in the configured time zone.
    public static func load(store: BatchStore, settings: SpendSettings, prices: PriceTable, now: Int64) throws -> SpendOverview {
        let today = CalendarDay(unixSeconds: now, in: settings.timeZone)
        let first = min(today.adding(days: -29), today.firstOfMonth)
        return build(ledger: try store.spendRows(from: first, to: today), today: today, budgets: settings.budgets, prices: prices)
    }
}
