import Foundation
import Testing
@testable import BatchKit

@Suite struct SpendBudgetTests {
    static let tenDollars = MicroDollars(10_000_000)

    @Test(arguments: [
        (Int64(0), BudgetLevel.ok), (7_999_999, .ok), (8_000_000, .warning), (9_999_999, .warning),
        (10_000_000, .critical), (12_000_000, .critical),
    ] as [(Int64, BudgetLevel)])
    func dailyThresholdsAtDefault80And100Percent(spent: Int64, level: BudgetLevel) {
        let budget = Budget(lane: .realtime, daily: Self.tenDollars)
        let statuses = BudgetEvaluator.evaluate([budget], spend: [.realtime: PeriodSpend(today: MicroDollars(spent), thisMonth: MicroDollars(spent))])
        #expect(statuses == [BudgetStatus(lane: .realtime, period: .day, limit: Self.tenDollars, spent: MicroDollars(spent), level: level)])
        #expect(BudgetEvaluator.worst(statuses) == level)
    }

    @Test func eachLaneAndPeriodIsEvaluatedSeparately() {
        let budgets = [
            Budget(lane: .realtime, daily: MicroDollars(1_000_000), monthly: MicroDollars(20_000_000), warningPercent: 50, criticalPercent: 90),
            Budget(lane: .batch, monthly: MicroDollars(5_000_000)),
        ]
        let spend: [Lane: PeriodSpend] = [.realtime: PeriodSpend(today: MicroDollars(600_000), thisMonth: MicroDollars(18_000_000))]
        let statuses = BudgetEvaluator.evaluate(budgets, spend: spend)
        #expect(statuses.map { "\($0.lane)/\($0.period)=\($0.level)" } == ["realtime/day=warning", "realtime/month=critical", "batch/month=ok"])
        #expect(statuses[0].percentUsed == 60)
        #expect(statuses[2].spent == .zero, "a lane without spend figures has spent nothing")
        #expect(BudgetEvaluator.worst(statuses) == .critical)
        #expect(BudgetEvaluator.worst([]) == .ok)
    }

    @Test func zeroBudgetMeansNoSpendAllowed() {
        let budget = Budget(lane: .batch, daily: .zero)
        func level(_ spent: Int64) -> BudgetLevel? {
            BudgetEvaluator.evaluate([budget], spend: [.batch: PeriodSpend(today: MicroDollars(spent), thisMonth: .zero)]).first?.level
        }
        #expect(level(0) == .ok)
        #expect(level(1) == .critical)
        #expect(BudgetStatus(lane: .batch, period: .day, limit: .zero, spent: MicroDollars(1), level: .critical).percentUsed == nil)
    }

    @Test func hugeFiguresSaturateInsteadOfTrapping() {
        let budget = Budget(lane: .batch, daily: MicroDollars(Int64.max / 2))
        let statuses = BudgetEvaluator.evaluate([budget], spend: [.batch: PeriodSpend(today: MicroDollars(Int64.max), thisMonth: .zero)])
        #expect(statuses.first?.level == .critical)
    }

    @Test func invalidBudgetsAreExplained() {
        #expect(Budget(lane: .batch, daily: MicroDollars(1)).validationErrors().isEmpty)
        #expect(Budget(lane: .batch, daily: MicroDollars(-1)).validationErrors().count == 1)
        #expect(Budget(lane: .batch, warningPercent: 95, criticalPercent: 90).validationErrors().first?.contains("warning must not exceed critical") == true)
        #expect(Budget(lane: .batch, warningPercent: 0).validationErrors().count == 1)
    }

    @Test(arguments: [
        // 2026-01-01T00:00:00Z
        (Int64(1_767_225_600), "UTC", "2026-01-01"),
        (1_767_225_600, "America/New_York", "2025-12-31"),
        (1_767_225_599, "UTC", "2025-12-31"),
        (1_767_225_599, "Asia/Tokyo", "2026-01-01"),
        (1_767_225_600 + 86_400 * 59, "UTC", "2026-03-01"),
    ] as [(Int64, String, String)])
    func calendarDayDependsOnTheTimeZone(seconds: Int64, zone: String, day: String) throws {
        let tz = try #require(TimeZone(identifier: zone))
        #expect(CalendarDay(unixSeconds: seconds, in: tz).description == day)
    }

    @Test func dayStartsFollowDaylightSavingTime() throws {
        let ny = try #require(TimeZone(identifier: "America/New_York"))
        let before = try #require(CalendarDay("2026-03-08")?.startUnixSeconds(in: ny))   // DST starts this day
        let after = try #require(CalendarDay("2026-03-09")?.startUnixSeconds(in: ny))
        #expect(after - before == 23 * 3600)
        #expect(CalendarDay(unixSeconds: before, in: ny).description == "2026-03-08")
        #expect(CalendarDay(unixSeconds: before - 1, in: ny).description == "2026-03-07")
        #expect(CalendarDay("2026-01-01")?.startUnixSeconds() == 1_767_225_600)
    }

    @Test func calendarDayParsingAndMonths() throws {
        #expect(CalendarDay("2026-02-30") == nil)
        #expect(CalendarDay("2026-2-3") == nil)
        #expect(CalendarDay("yesterday") == nil)
        let day = try #require(CalendarDay("2026-11-29"))
        #expect(day.firstOfMonth == CalendarDay(year: 2026, month: 11, day: 1))
        #expect(day.isSameMonth(as: CalendarDay(year: 2026, month: 11, day: 1)))
        #expect(!day.isSameMonth(as: CalendarDay(year: 2025, month: 11, day: 29)))
        #expect(CalendarDay(year: 2026, month: 1, day: 31) < day)
        let json = try JSONEncoder().encode([day])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-11-29"]"#)
        #expect(try JSONDecoder().decode([CalendarDay].self, from: json) == [day])
    }
}

@Suite struct SpendPeriodTests {
    @Test(arguments: [("25", Int64(25_000_000)), ("12.50", 12_500_000), ("0.000001", 1)] as [(String, Int64)])
    func budgetDollarsParseExactly(text: String, micro: Int64) {
        #expect(Budget.dollars(text) == MicroDollars(micro))
    }

    @Test(arguments: ["-5", "1e3", "", "12.3456789", "$5"])
    func badBudgetDollarsAreRejected(text: String) {
        #expect(Budget.dollars(text) == nil)
    }

    @Test func periodSpendSumsTodayAndThisMonthPerLane() throws {
        let today = try #require(CalendarDay("2026-11-29"))
        let rows: [(day: CalendarDay, lane: Lane, cost: MicroDollars)] = [
            (today, .realtime, MicroDollars(3)), (today, .realtime, MicroDollars(4)),
            (today.adding(days: -1), .realtime, MicroDollars(10)),
            (try #require(CalendarDay("2026-10-31")), .realtime, MicroDollars(1_000)),   // last month
            (today.adding(days: 1), .realtime, MicroDollars(500)),                      // tomorrow: ignored
            (today.adding(days: -28), .batch, MicroDollars(20)),
        ]
        let spend = PeriodSpend.byLane(rows, today: today)
        #expect(spend[.realtime] == PeriodSpend(today: MicroDollars(7), thisMonth: MicroDollars(17)))
        #expect(spend[.batch] == PeriodSpend(today: .zero, thisMonth: MicroDollars(20)))
    }

    @Test func addingDaysCrossesMonthsAndYears() throws {
        let day = try #require(CalendarDay("2026-03-01"))
        #expect(day.adding(days: -1).description == "2026-02-28")
        #expect(day.adding(days: -7).description == "2026-02-22")
        #expect(try #require(CalendarDay("2026-12-31")).adding(days: 1).description == "2027-01-01")
    }
}
