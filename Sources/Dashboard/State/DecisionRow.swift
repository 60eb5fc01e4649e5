import BatchKit

/// A routing decision: a proposal to move a workload or job to another lane, and its outcome.
public struct DecisionRow: Hashable, Sendable, Identifiable {
    /// Where a decision stands.
    public enum State: String, Hashable, Sendable { case pending, approved, rejected }

    /// The decision's id.
    public var id: String
    /// What moves: a workload name or a job id.
    public var subject: DecisionSubject
    /// The lane the work ran in when the decision was raised (stored then); nil for old decisions whose
    /// lane could not be recovered.
    public var fromLane: Lane?
    /// The lane it would move to.
    public var toLane: Lane
    /// A new urgency class, when the proposal changes the class rather than only the lane.
    public var toClass: UrgencyClass?
    /// Why (operator's reason or the advisor's finding); untrusted text.
    public var reason: String
    /// Who asked: an operator name or "advisor".
    public var requestedBy: String
    /// When it was raised (unix seconds).
    public var requestedAt: Int64
    /// Estimated daily cost change if approved (negative saves money).
    public var costImpactPerDay: MicroDollars?
    /// Pending, approved or rejected.
    public var state: State
    /// Who approved or rejected it.
    public var decidedBy: String?
    /// When it was decided (unix seconds).
    public var decidedAt: Int64?
    /// The approver's comment (untrusted text).
    public var comment: String?

    public init(
        id: String, subject: DecisionSubject, fromLane: Lane?, toLane: Lane, toClass: UrgencyClass? = nil,
        reason: String, requestedBy: String, requestedAt: Int64, costImpactPerDay: MicroDollars? = nil,
        state: State = .pending, decidedBy: String? = nil, decidedAt: Int64? = nil, comment: String? = nil
    ) {
        self.id = id; self.subject = subject; self.fromLane = fromLane; self.toLane = toLane; self.toClass = toClass
        self.reason = reason; self.requestedBy = requestedBy; self.requestedAt = requestedAt
        self.costImpactPerDay = costImpactPerDay; self.state = state; self.decidedBy = decidedBy
        self.decidedAt = decidedAt; self.comment = comment
    }
}

/// What a decision or reclassification applies to.
public enum DecisionSubject: Hashable, Sendable, CustomStringConvertible {
    case workload(String)
    case job(String)

    public var description: String {
        switch self {
        case .workload(let w): return "workload \(w)"
        case .job(let j): return "job \(j)"
        }
    }
}
