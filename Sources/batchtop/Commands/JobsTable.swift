import BatchKit
import Foundation

/// Renders job summaries as an aligned text table or as CSV.
enum JobsTable {
    static let headers = ["STATUS", "ID", "WORKLOAD", "LANE", "MODEL", "PROGRESS", "AGE", "EXPIRES IN"]

    /// One row of cells, sanitized.
    static func cells(_ j: JobSummary, now: Int64, ascii: Bool) -> [String] {
        let c = j.requestCounts
        var status = StatusStyle.label(j.status, ascii: ascii)
        if j.cancelRequestedAt != nil, !j.status.isTerminal, j.status != .cancelling { status += " (cancel requested)" }
        if let since = j.missingSince { status += " (missing since \(SyncFreshness.duration(now - since)) ago)" }
        let expires: String
        if j.status.isTerminal { expires = "-" } else if let at = j.expiresAt {
            expires = at > now ? SyncFreshness.duration(at - now) : "overdue"
        } else { expires = "?" }
        return [
            status,
            UntrustedText.singleLine(j.id, limit: 64),
            UntrustedText.singleLine(j.workload ?? "-", limit: 32),
            UntrustedText.singleLine(j.lane, limit: 12),
            UntrustedText.singleLine(j.model ?? "-", limit: 32),
            "\(c.completed)/\(c.failed)/\(c.total)",
            SyncFreshness.duration(now - j.createdAt),
            expires,
        ]
    }

    static func render(_ jobs: [JobSummary], now: Int64, ascii: Bool = false) -> SafeText {
        let rows = jobs.map { cells($0, now: now, ascii: ascii) }
        // Width in Unicode scalars: exact for the ASCII ids and names that fill this table, and far
        // cheaper than grapheme counting over 100,000 rows.
        func width(_ s: String) -> Int { s.unicodeScalars.count }
        var widths = headers.map(width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], width(cell)) } }
        func line(_ row: [String]) -> String {
            var out = ""
            for (i, cell) in row.enumerated() {
                out += cell
                if i < row.count - 1 { out += String(repeating: " ", count: widths[i] - width(cell) + 2) }
            }
            return out
        }
        var out = line(headers) + "\n"
        for row in rows { out += line(row) + "\n" }
        // The cells are sanitized one by one already; this keeps the table's own newlines only.
        return SafeText(lines: out)
    }

    static let csvHeader = "status,id,workload,lane,model,endpoint,completed,failed,total,created_at,expires_at,cancel_requested_at"

    static func csvRow(_ j: JobSummary) -> String {
        let c = j.requestCounts
        return [
            csv(j.status.rawValue), csv(j.id), csv(j.workload ?? ""), csv(j.lane), csv(j.model ?? ""), csv(j.endpoint),
            String(c.completed), String(c.failed), String(c.total),
            iso(j.createdAt), j.expiresAt.map(iso) ?? "", j.cancelRequestedAt.map(iso) ?? "",
        ].joined(separator: ",")
    }

    /// A text cell: sanitized, formula-defused, quoted (`CSVField`).
    static func csv(_ raw: String) -> String { CSVField.text(raw) }

    /// `2026-11-29T22:00:00Z`, formatted by hand, why: a DateFormatter per cell made 100,000 rows take 20 s.
    static func iso(_ t: Int64) -> String {
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        // Civil-from-days (H. Hinnant), proleptic Gregorian.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))Z"
    }
}
