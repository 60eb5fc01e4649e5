import Foundation

/// Parses `--since`: a duration back from now (`90s`, `30m`, `24h`, `7d`, `2w`), a date (`2026-11-01`,
/// UTC midnight), an ISO 8601 time (`2026-11-01T08:00:00Z`) or unix seconds.
enum SinceArgument {
    static func parse(_ text: String, now: Int64) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(t), t.count >= 9 { return seconds }
        if let unit = t.last, let amount = Int64(t.dropLast()), amount >= 0 {
            let scale: Int64? = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800][unit]
            if let scale {
                let (product, overflow) = amount.multipliedReportingOverflow(by: scale)
                if !overflow { return now - product }
            }
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: t) { return Int64(date.timeIntervalSince1970) }
        iso.formatOptions = [.withFullDate]
        if t.count == 10, let date = iso.date(from: t) { return Int64(date.timeIntervalSince1970) }
        throw CommandFailure(
            "--since \(t.debugDescription) is not understood; use a duration (30m, 24h, 7d), a date (2026-11-01), an ISO 8601 time (2026-11-01T08:00:00Z) or unix seconds")
    }
}
