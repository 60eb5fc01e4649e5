import BatchKit

/// Whether an action is available for a job or decision, and if not, why (said out loud).
///
/// Job actions ask the core's `ActionPreconditions` with the row's fields, so the dashboard refuses
/// exactly what `batchtop cancel` / `resubmit` refuse, in the same words.
public enum ActionRules {
    /// Nil when the job can be cancelled, else the reason ("job is already completed; there is nothing to cancel").
    public static func cancelBlocked(_ row: JobRow) -> String? {
        ActionPreconditions.cancel(status: row.status, cancelRequestedAt: row.cancelRequestedAt).reason
    }

    /// Nil when the job can be resubmitted (whole or failed-only), else the reason.
    public static func resubmitBlocked(_ row: JobRow, failedOnly: Bool) -> String? {
        ActionPreconditions.resubmit(status: row.status, counts: row.counts, failedOnly: failedOnly).reason
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

