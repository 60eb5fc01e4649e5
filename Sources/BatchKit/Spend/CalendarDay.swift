import Foundation

/// A calendar date (no time of day), the unit of the spend ledger and of daily budgets.
///
/// Rule: a day is computed in a configurable time zone (UTC by default), why: a team's "today" is
/// local, while the provider's usage buckets are UTC days; callers say which one a figure uses.
public struct CalendarDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Gregorian year.
    public var year: Int
    /// Month, 1...12.
    public var month: Int
    /// Day of the month, 1...31.
    public var day: Int

    /// Coordinated Universal Time, the default day boundary (and the provider's bucket boundary).
    public static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? TimeZone.current

    public init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// The calendar day containing unix time `seconds` in `timeZone`.
    public init(unixSeconds seconds: Int64, in timeZone: TimeZone = CalendarDay.utc) {
        let c = Self.calendar(timeZone).dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        self.init(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
        // Round-trip through the calendar to reject 2026-02-30 and friends.
        guard let start = startUnixSeconds(in: CalendarDay.utc), CalendarDay(unixSeconds: start, in: CalendarDay.utc) == self else { return nil }
    }

    /// Unix seconds of 00:00 of this day in `timeZone` (nil only for dates the calendar cannot represent).
    public func startUnixSeconds(in timeZone: TimeZone = CalendarDay.utc) -> Int64? {
        let comps = DateComponents(year: year, month: month, day: day)
        guard let date = Self.calendar(timeZone).date(from: comps) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// The day `days` later (earlier when negative), e.g. the first day of `--since 7d`.
    public func adding(days: Int) -> CalendarDay {
        let calendar = Self.calendar(CalendarDay.utc)
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              let moved = calendar.date(byAdding: .day, value: days, to: date) else { return self }
        let c = calendar.dateComponents([.year, .month, .day], from: moved)
        return CalendarDay(year: c.year ?? year, month: c.month ?? month, day: c.day ?? day)
    }

    /// The first day of this day's month (the key of monthly budgets).
    public var firstOfMonth: CalendarDay { CalendarDay(year: year, month: month, day: 1) }

    /// Whether `other` falls in the same calendar month.
    public func isSameMonth(as other: CalendarDay) -> Bool { year == other.year && month == other.month }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a date YYYY-MM-DD, got \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }
}

