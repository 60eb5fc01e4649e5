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

    static func render(_ jobs: [JobSummary], now: Int64, ascii: Bool = false) -> String {
        let rows = jobs.map { cells($0, now: now, ascii: ascii) }
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
        var out = line(headers) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
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

    /// RFC 4180 quoting, with a leading `'` on cells a spreadsheet would run as a formula, why: the
    /// text comes from the API (metadata), so `=HYPERLINK(...)` in a workload name must stay text.
    static func csv(_ raw: String) -> String {
        var s = raw.filter { c in !c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }
        if let first = s.first, "=+-@".contains(first) { s = "'" + s }
        if s.contains(where: { $0 == "," || $0 == "\"" }) { return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return s
    }

    static func iso(_ t: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }
}
