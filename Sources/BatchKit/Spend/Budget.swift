/// A lane's spending limits per calendar day and month, with warning and critical thresholds.
///
/// Thresholds are whole percent of the limit: at or above `warningPercent` is a warning, at or above
/// `criticalPercent` is critical (default 80 and 100).
public struct Budget: Hashable, Sendable, Codable {
    /// The lane the budget applies to.
    public var lane: Lane
    /// Limit per calendar day; nil means no daily budget.
    public var daily: MicroDollars?
    /// Limit per calendar month; nil means no monthly budget.
    public var monthly: MicroDollars?
    /// Percent of the limit that raises a warning.
    public var warningPercent: Int
    /// Percent of the limit that is critical.
    public var criticalPercent: Int

    public init(lane: Lane, daily: MicroDollars? = nil, monthly: MicroDollars? = nil, warningPercent: Int = 80, criticalPercent: Int = 100) {
        self.lane = lane; self.daily = daily; self.monthly = monthly
        self.warningPercent = warningPercent; self.criticalPercent = criticalPercent
    }

    /// Parses a dollar amount such as `"25"` or `"12.50"` exactly (for budgets in config and flags);
    /// nil for anything but a non-negative decimal with at most six decimals.
    public static func dollars(_ text: String) -> MicroDollars? {
        TokenRate.parseDecimalMicros(text).map(MicroDollars.init)
    }

    /// Problems that make the budget meaningless, each saying how to fix it; empty when valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if let daily, daily < .zero { errors.append("budget \(lane): daily limit \(daily) is negative; use 0 or more") }
        if let monthly, monthly < .zero { errors.append("budget \(lane): monthly limit \(monthly) is negative; use 0 or more") }
        if warningPercent <= 0 || criticalPercent <= 0 {
            errors.append("budget \(lane): thresholds must be above 0% (warning \(warningPercent)%, critical \(criticalPercent)%)")
        }
        if warningPercent > criticalPercent {
            errors.append("budget \(lane): warning \(warningPercent)% is above critical \(criticalPercent)%; warning must not exceed critical")
        }
        return errors
    }

    /// The limit for `period`, if any.
    public func limit(for period: BudgetPeriod) -> MicroDollars? {
        switch period {
        case .day: return daily
        case .month: return monthly
        }
    }
}

/// A budget period: the calendar day or the calendar month, in the configured time zone.
public enum BudgetPeriod: String, CaseIterable, Sendable, Codable, Hashable {
    case day, month
}

/// How spend stands against a budget; ordered so the worst of several is `max()`.
public enum BudgetLevel: Int, Comparable, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case ok = 0, warning = 1, critical = 2

    public static func < (a: BudgetLevel, b: BudgetLevel) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .ok: return "ok"
        case .warning: return "warning"
        case .critical: return "critical"
        }
    }
}

/// One lane and period evaluated against its limit.
public struct BudgetStatus: Hashable, Sendable, Codable {
    /// The lane evaluated.
    public var lane: Lane
    /// Day or month.
    public var period: BudgetPeriod
    /// The budget's limit for the period.
    public var limit: MicroDollars
    /// Spend so far in the period.
    public var spent: MicroDollars
    /// How `spent` compares with the thresholds.
    public var level: BudgetLevel

    public init(lane: Lane, period: BudgetPeriod, limit: MicroDollars, spent: MicroDollars, level: BudgetLevel) {
        self.lane = lane; self.period = period; self.limit = limit; self.spent = spent; self.level = level
    }

    /// Spend as whole percent of the limit, rounded down; nil for a zero limit.
    public var percentUsed: Int64? {
        guard limit.value > 0 else { return nil }
        let (p, overflow) = spent.value.multipliedReportingOverflow(by: 100)
        return overflow ? Int64.max : p / limit.value
    }
}

/// Spend of one lane in the current day and month, the input of `BudgetEvaluator`.
public struct PeriodSpend: Hashable, Sendable, Codable {
    /// Spend of the current calendar day.
    public var today: MicroDollars
    /// Spend of the current calendar month, today included.
    public var thisMonth: MicroDollars

    public init(today: MicroDollars, thisMonth: MicroDollars) {
        self.today = today; self.thisMonth = thisMonth
    }

    func spent(in period: BudgetPeriod) -> MicroDollars {
        period == .day ? today : thisMonth
    }

    /// Today's and this month's spend per lane from daily figures (e.g. ledger rows by day and lane).
    ///
    /// `today` is a calendar day in the same time zone the figures were bucketed in; days after it
    /// are ignored, so a clock that lags the data does not count tomorrow's rows.
    public static func byLane(_ daily: [(day: CalendarDay, lane: Lane, cost: MicroDollars)], today: CalendarDay) -> [Lane: PeriodSpend] {
        var result: [Lane: PeriodSpend] = [:]
        for row in daily where row.day <= today && row.day.isSameMonth(as: today) {
            var spend = result[row.lane] ?? PeriodSpend(today: .zero, thisMonth: .zero)
            spend.thisMonth = spend.thisMonth.saturatingAdding(row.cost)
            if row.day == today { spend.today = spend.today.saturatingAdding(row.cost) }
            result[row.lane] = spend
        }
        return result
    }
}

/// Evaluates budgets against spend; pure, so `spend --check` and the dashboard agree.
public enum BudgetEvaluator {
    /// One status per budget and period that has a limit, in budget order, day before month.
    ///
    /// A lane missing from `spend` has spent nothing. Rule: a zero limit is critical as soon as anything
    /// is spent and ok at zero, why: "no spend allowed" is the only meaning of a zero budget.
    public static func evaluate(_ budgets: [Budget], spend: [Lane: PeriodSpend]) -> [BudgetStatus] {
        var result: [BudgetStatus] = []
        for budget in budgets {
            for period in BudgetPeriod.allCases {
                guard let limit = budget.limit(for: period) else { continue }
                let spent = spend[budget.lane]?.spent(in: period) ?? .zero
                let level = level(spent: spent, limit: limit, warning: budget.warningPercent, critical: budget.criticalPercent)
                result.append(BudgetStatus(lane: budget.lane, period: period, limit: limit, spent: spent, level: level))
            }
        }
        return result
    }

    /// The worst level among `statuses` (`ok` when empty); the basis of `--check`'s exit code.
    public static func worst(_ statuses: [BudgetStatus]) -> BudgetLevel {
        statuses.map(\.level).max() ?? .ok
    }

    /// Compares `spent * 100` with `limit * percent` in integers, saturating instead of overflowing.
    static func level(spent: MicroDollars, limit: MicroDollars, warning: Int, critical: Int) -> BudgetLevel {
        guard spent.value > 0 else { return .ok }
        if limit.value <= 0 { return .critical }
        let used = saturatingMultiply(spent.value, 100)
        if used >= saturatingMultiply(limit.value, Int64(critical)) { return .critical }
        if used >= saturatingMultiply(limit.value, Int64(warning)) { return .warning }
        return .ok
    }

    static func saturatingMultiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) != (b < 0) ? Int64.min : Int64.max) : p
    }
}
