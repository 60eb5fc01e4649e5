import BatchKit

/// Whether an action is available for a job or decision, and if not, why (said out loud).
public enum ActionRules {
    /// Nil when the job can be cancelled, else the reason ("batch is completed").
    public static func cancelBlocked(_ row: JobRow) -> String? {
        if row.status.isTerminal { return "batch is \(row.status.rawValue)" }
        if row.status == .cancelling || row.cancelRequestedAt != nil { return "already cancelling" }
        return nil
    }

    /// Nil when the job can be resubmitted (whole or failed-only), else the reason.
    public static func resubmitBlocked(_ row: JobRow, failedOnly: Bool) -> String? {
        if !row.status.isTerminal {
            return "batch is \(row.status.rawValue.replacingOccurrences(of: "_", with: " ")) (wait for it to finish or cancel it)"
        }
        if failedOnly && row.counts.failed + row.counts.pending == 0 {
            return "no failed or unfinished requests"
        }
        if !failedOnly && row.status == .completed && row.counts.failed == 0 && row.counts.total > 0 {
            return "all requests completed"
        }
        return nil
    }

    /// Nil when a decision can be approved or rejected, else the reason.
    public static func decideBlocked(_ d: DecisionRow) -> String? {
        switch d.state {
        case .pending: return nil
        case .approved: return "already approved" + (d.decidedBy.map { " by \($0)" } ?? "")
        case .rejected: return "already rejected" + (d.decidedBy.map { " by \($0)" } ?? "")
        }
    }
}

import Foundation
