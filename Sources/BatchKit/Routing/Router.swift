/// Decides which lane a piece of work runs in, and says why.
///
/// Order of authority: an approved routing decision for the workload, then the first matching rule,
/// then the policy's default class. Rules never override an approved decision, why: a decision is
/// a person's explicit, audited choice, and rules are only the standing default.
public struct Router: Sendable {
    public var policy: RoutingPolicy
    /// Approved decisions in force, newest last; at most one per workload is used (the newest).
    public var overrides: [WorkloadOverride]

    public init(policy: RoutingPolicy, overrides: [WorkloadOverride] = []) {
        self.policy = policy; self.overrides = overrides
    }

    /// The route for work of `workload` on `endpoint` with `model`.
    public func route(workload: String?, endpoint: String? = nil, model: String? = nil) -> Route {
        if let workload, let decision = overrides.last(where: { $0.workload == workload }) {
            let urgencyClass = decision.urgencyClass
            let lane = decision.lane ?? urgencyClass.map(policy.lane(for:)) ?? policy.lane(for: policy.defaultClass)
            return Route(lane: lane, urgencyClass: urgencyClass, reason: .decision(decision))
        }
        for (index, rule) in policy.rules.enumerated()
        where rule.matches(workload: workload, endpoint: endpoint, model: model) {
            return Route(lane: policy.lane(for: rule.urgencyClass), urgencyClass: rule.urgencyClass,
                         reason: .rule(index: index, rule: rule))
        }
        return Route(lane: policy.lane(for: policy.defaultClass), urgencyClass: policy.defaultClass, reason: .defaultClass)
    }
}

/// An approved routing decision that pins a workload to a lane or class.
public struct WorkloadOverride: Codable, Sendable, Hashable {
    public var workload: String
    public var lane: Lane?
    public var urgencyClass: UrgencyClass?
    public var decisionID: String
    /// When it was approved (unix seconds).
    public var approvedAt: Int64
    public var approvedBy: String

    public init(workload: String, lane: Lane?, urgencyClass: UrgencyClass?, decisionID: String, approvedAt: Int64, approvedBy: String) {
        self.workload = workload; self.lane = lane; self.urgencyClass = urgencyClass
        self.decisionID = decisionID; self.approvedAt = approvedAt; self.approvedBy = approvedBy
    }
}

/// Where work goes and by what authority.
public struct Route: Sendable, Hashable {
    public var lane: Lane
    /// The class, when known (a decision may pin only the lane).
    public var urgencyClass: UrgencyClass?
    public var reason: Reason

    /// Why the route is what it is.
    public enum Reason: Sendable, Hashable {
        case decision(WorkloadOverride)
        case rule(index: Int, rule: RoutingRule)
        case defaultClass
    }

    /// One line for `route explain` and the dashboard.
    public var explanation: String {
        let classText = urgencyClass.map { " (class \($0))" } ?? ""
        switch reason {
        case .decision(let d):
            return "\(lane)\(classText): approved decision \(d.decisionID) by \(d.approvedBy)"
        case .rule(let index, let rule):
            return "\(lane)\(classText): rule #\(index + 1) \(rule.summary)"
        case .defaultClass:
            return "\(lane)\(classText): no rule matched; default class"
        }
    }
}
