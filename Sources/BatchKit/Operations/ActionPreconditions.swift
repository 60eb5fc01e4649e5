/// Whether an operator action may start on a job, from the fields every view of the job has (status,
/// request counts, a requested cancel), with the one wording the dashboard and the commands both show.
///
/// Pure functions: the dashboard asks them before it opens a dialog, `OperationsService` before it
/// calls the provider, so the two cannot disagree. The service checks more afterwards with what only
/// it holds (an unsettled earlier resubmit, a resubmit still running, the files themselves).
public enum ActionPreconditions {
    /// What a precondition says.
    public enum Verdict: Sendable, Hashable {
        /// The action may go ahead.
        case allowed
        /// Nothing to do: the job is already where the action would take it (a cancel of a batch the
        /// provider is cancelling). Not an error for the service; the dashboard says it and opens nothing.
        case alreadyDone(String)
        /// The action would be wrong for this job; the reason says why and what to do instead.
        case refused(String)

        /// The reason, when not allowed.
        public var reason: String? {
            switch self {
            case .allowed: nil
            case .alreadyDone(let why), .refused(let why): why
            }
        }

        public var isAllowed: Bool { self == .allowed }
    }

    /// Whether a job can be cancelled.
    ///
    /// Rule: a cancel batchtop requested but the provider has not acknowledged may be requested again,
    /// why: the provider call may have been lost ("run cancel again" is the documented way out) and a
    /// cancel is idempotent at the provider.
    public static func cancel(status: BatchStatus, cancelRequestedAt: Int64? = nil) -> Verdict {
        if status.isTerminal { return .refused("job is already \(status); there is nothing to cancel") }
        if status == .cancelling { return .alreadyDone("already cancelling at the provider") }
        return .allowed
    }

    /// Whether a job can be resubmitted, whole or only its unfinished requests.
    ///
    /// Rules: only a terminal job, why: a running job's requests would run twice. Failed-only needs a
    /// request without a successful answer: refused only when the counts show every request completed.
    /// A terminal batch that counted no requests (it failed validation, e.g. `token_limit_exceeded`, or
    /// ended before it started) has every request of its input unfinished, so failed-only sends them
    /// all. A whole resubmit of a finished job is always allowed: it is an explicit re-run (the dialog
    /// says what it buys again).
    public static func resubmit(status: BatchStatus, counts: RequestCounts, failedOnly: Bool) -> Verdict {
        if !status.isTerminal {
            return .refused("job is \(words(status)): resubmitting it now would run its requests twice; wait until it ends or cancel it")
        }
        if failedOnly, counts.total > 0, counts.completed >= counts.total { return .refused(nothingToResubmit) }
        return .allowed
    }

    /// Why a failed-only resubmit of a job whose every request succeeded sends nothing.
    public static let nothingToResubmit = "every request already succeeded; nothing to resubmit"

    /// How many requests a resubmit would send, from the counts; nil when only the input file can say
    /// (the provider counted none: the batch never started).
    public static func resubmitRequestCount(counts: RequestCounts, failedOnly: Bool) -> Int? {
        guard counts.total > 0 else { return nil }
        return failedOnly ? max(0, counts.total - counts.completed) : counts.total
    }

    /// "in progress" for `in_progress`: a status as words.
    static func words(_ status: BatchStatus) -> String { status.rawValue.replacingOccurrences(of: "_", with: " ") }
}
