import BatchKit

/// Spend for the Spend pane: today per lane against budget, daily history, savings, top spenders.
public struct SpendSnapshot: Hashable, Sendable {
    /// The local calendar day the figures are for, as the header shows it ("2026-11-29").
    public var day: String
    /// Today's spend per lane.
    public var today: [LaneSpend]
    /// Last 30 days, oldest first; the pane also derives the last 7 from it.
    public var daily: [DaySpend]
    /// What running in the batch lane saved today and over the 30 days, versus real-time prices.
    public var savedToday: MicroDollars
    /// What the batch lane saved over the last 30 days.
    public var saved30Days: MicroDollars
    /// Workloads by spend today, largest first.
    public var topWorkloads: [NamedAmount]
    /// Models by spend today, largest first.
    public var topModels: [NamedAmount]
    /// Fraction of budget at which a gauge turns to warning (default 0.8).
    public var warnFraction: Double
    /// Fraction at which it turns critical (default 1.0).
    public var criticalFraction: Double

    public init(
        day: String, today: [LaneSpend] = [], daily: [DaySpend] = [], savedToday: MicroDollars = .zero,
        saved30Days: MicroDollars = .zero, topWorkloads: [NamedAmount] = [], topModels: [NamedAmount] = [],
        warnFraction: Double = 0.8, criticalFraction: Double = 1.0
    ) {
        self.day = day; self.today = today; self.daily = daily; self.savedToday = savedToday
        self.saved30Days = saved30Days; self.topWorkloads = topWorkloads; self.topModels = topModels
        self.warnFraction = warnFraction; self.criticalFraction = criticalFraction
    }

    /// Today's total over every lane.
    public var todayTotal: MicroDollars { today.reduce(.zero) { $0 + $1.spent } }
}

/// One lane's spend today and its daily budget.
public struct LaneSpend: Hashable, Sendable {
    /// The lane.
    public var lane: Lane
    /// Spent today.
    public var spent: MicroDollars
    /// The daily budget, if one is set.
    public var budget: MicroDollars?

    public init(lane: Lane, spent: MicroDollars, budget: MicroDollars? = nil) {
        self.lane = lane; self.spent = spent; self.budget = budget
    }
}

/// One day's spend per lane.
public struct DaySpend: Hashable, Sendable {
    /// Short label ("11-29").
    public var label: String
    /// Spend per lane that day.
    public var perLane: [Lane: MicroDollars]

    public init(label: String, perLane: [Lane: MicroDollars]) { self.label = label; self.perLane = perLane }

    /// The day's total over every lane.
    public var total: MicroDollars { perLane.values.reduce(.zero, +) }
}

/// A name with an amount (top workloads, top models).
public struct NamedAmount: Hashable, Sendable {
    /// The workload or model name.
    public var name: String
    /// Its spend.
    public var amount: MicroDollars

    public init(_ name: String, _ amount: MicroDollars) { self.name = name; self.amount = amount }
}
