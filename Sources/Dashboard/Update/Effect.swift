import BatchKit

/// Work the runtime must do on the reducer's behalf; the reducer itself never does I/O.
public enum Effect: Hashable, Sendable {
    /// Ask the provider to cancel these jobs (already confirmed by the operator).
    case cancel(jobIDs: [String])
    /// Resubmit a finished job, whole or only its failed and unfinished requests.
    case resubmit(jobID: String, failedOnly: Bool)
    /// Raise a routing decision moving a workload or job to a lane or urgency class.
    case reclassify(target: DecisionSubject, to: ReclassifyTarget, reason: String)
    /// Approve a pending routing decision.
    case approve(decisionID: String, comment: String)
    /// Reject a pending routing decision.
    case reject(decisionID: String, comment: String)
    /// Poll the provider now instead of waiting for the interval.
    case pollNow
    /// Pause or resume polling.
    case setPaused(Bool)
    /// Load everything about one job for the detail view.
    case loadJobDetail(jobID: String)
    /// Leave the dashboard and restore the terminal.
    case quit

    /// Whether the effect changes anything at the provider or in the store.
    public var isWrite: Bool {
        switch self {
        case .cancel, .resubmit, .reclassify, .approve, .reject: return true
        case .pollNow, .setPaused, .loadJobDetail, .quit: return false
        }
    }
}

/// Where a reclassification moves work: a lane, or an urgency class (which routing maps to a lane).
public enum ReclassifyTarget: Hashable, Sendable, CustomStringConvertible {
    case lane(Lane)
    case urgency(UrgencyClass)

    public var description: String {
        switch self {
        case .lane(let l): return "lane \(l)"
        case .urgency(let u): return "class \(u)"
        }
    }

    /// Every choice the reclassify dialog offers, lanes first.
    public static var choices: [ReclassifyTarget] {
        Lane.allCases.map { .lane($0) } + UrgencyClass.allCases.map { .urgency($0) }
    }
}
