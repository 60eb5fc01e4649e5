import Foundation

/// A proposal to move a workload or a job to another lane or urgency class; never applied without approval.
public struct RoutingDecision: Sendable, Hashable, Codable, Identifiable {
    /// What the decision is about.
    public enum Subject: Sendable, Hashable, Codable, CustomStringConvertible {
        case workload(String)
        case job(String)
        /// `workload` or `job`.
        public var kind: String { if case .workload = self { "workload" } else { "job" } }
        /// The workload name or job id.
        public var name: String {
            switch self { case .workload(let w): w; case .job(let j): j }
        }
        public var description: String { "\(kind) \(name)" }
    }

    /// Where a decision stands; only `pending` can change.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, approved, rejected, expired
    }

    /// Who raised it.
    public enum Source: String, Sendable, Hashable, Codable {
        case `operator`, advisor
    }

    /// `dec_` + 12 hex characters.
    public var id: String
    public var subject: Subject
    /// The lane the work ran in when the decision was raised (the lane its cost impact is measured from),
    /// stored then, why: recomputing it later from the route shows an approved move as "realtime → realtime".
    /// Nil for decisions raised before batchtop recorded it whose lane could not be recovered.
    public var fromLane: Lane?
    /// The lane asked for, if any.
    public var toLane: Lane?
    /// The class asked for, if any.
    public var toClass: UrgencyClass?
    /// Why, in the requester's words.
    public var reason: String
    public var source: Source
    public var requestedBy: String
    public var requestedAt: Int64
    public var state: State
    public var decidedBy: String?
    public var decidedAt: Int64?
    /// The approver's or rejecter's comment, or why it expired.
    public var comment: String?
    /// Estimated change in daily cost if approved (positive costs more), when known.
    public var dailyCostImpact: MicroDollars?
    /// Advisor decisions carry a key so the same proposal is not raised twice while pending.
    public var dedupeKey: String?
    /// Extra facts: for an escalation, the custom_ids that will run in real time.
    public var details: [String: String]

    public init(id: String, subject: Subject, fromLane: Lane?, toLane: Lane?, toClass: UrgencyClass?, reason: String, source: Source,
                requestedBy: String, requestedAt: Int64, state: State = .pending, decidedBy: String? = nil,
                decidedAt: Int64? = nil, comment: String? = nil, dailyCostImpact: MicroDollars? = nil,
                dedupeKey: String? = nil, details: [String: String] = [:]) {
        self.id = id; self.subject = subject; self.fromLane = fromLane; self.toLane = toLane; self.toClass = toClass; self.reason = reason
        self.source = source; self.requestedBy = requestedBy; self.requestedAt = requestedAt; self.state = state
        self.decidedBy = decidedBy; self.decidedAt = decidedAt; self.comment = comment
        self.dailyCostImpact = dailyCostImpact; self.dedupeKey = dedupeKey; self.details = details
    }

    /// "lane batch", "class urgent" or "lane realtime, class urgent".
    public var change: String {
        [toLane.map { "lane \($0)" }, toClass.map { "class \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// The override this decision becomes once approved (workload decisions only).
    public var workloadOverride: WorkloadOverride? {
        guard state == .approved, case .workload(let workload) = subject, let decidedAt, let decidedBy else { return nil }
        return WorkloadOverride(workload: workload, lane: toLane, urgencyClass: toClass, decisionID: id,
                                approvedAt: decidedAt, approvedBy: decidedBy)
    }
}
