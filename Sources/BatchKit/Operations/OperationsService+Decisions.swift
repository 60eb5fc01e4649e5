import Foundation

extension OperationsService {
    /// Raises a pending routing decision to move `subject` to `lane` and/or `urgencyClass`; never applies it.
    public func reclassify(_ subject: RoutingDecision.Subject, lane: Lane?, urgencyClass: UrgencyClass?, reason: String,
                           prices: PriceTable? = nil) throws -> RoutingDecision {
        try requireWritable("reclassify")
        // Rule: redacted before it is stored, why: a key pasted into --reason would otherwise live in
        // the decisions table and be printed by `decisions`, though the audit row masks it.
        let reason = redacted(reason.trimmingCharacters(in: .whitespacesAndNewlines))
        guard !reason.isEmpty else { throw OperationError.invalidInput("a reclassification needs a reason (--reason TEXT)") }
        guard lane != nil || urgencyClass != nil else {
            throw OperationError.invalidInput("say where to move it: --lane realtime|batch and/or --class \(UrgencyClass.allCases.map(\.rawValue).joined(separator: "|"))")
        }
        var subject = subject
        var impact: MicroDollars? = nil
        switch subject {
        case .job(let id):
            guard let job = try store.jobDetail(id: id)?.job else { throw OperationError.noSuchJob(id) }
            if job.batch.status.isTerminal {
                throw OperationError.jobState(jobID: job.id, status: job.batch.status.rawValue, why: "a finished job cannot change lanes; reclassify its workload instead")
            }
            subject = .job(job.id)
            if let prices, let target = lane ?? urgencyClass.map(settings.policy.lane(for:)) {
                impact = CostEstimate.remaining(job, from: job.lane, to: target, prices: prices)
            }
        case .workload(let name):
            guard !name.isEmpty, name.count <= 200 else { throw OperationError.invalidInput("the workload name must be 1 to 200 characters") }
            if let prices, let target = lane ?? urgencyClass.map(settings.policy.lane(for:)) {
                let current = route(workload: name).lane
                impact = try CostEstimate.dailyWorkload(name, from: current, to: target, store: store, prices: prices, now: clock.unixNow())
            }
        }
        var details: [String: String] = [:]
        if case .job = subject, (lane ?? urgencyClass.map(settings.policy.lane(for:))) == .realtime {
            details["will_run"] = Self.escalationNote
        }
        let decision = RoutingDecision(
            id: Self.newID("dec_"), subject: subject, toLane: lane, toClass: urgencyClass, reason: reason, source: .operator,
            requestedBy: actor, requestedAt: clock.unixNow(), dailyCostImpact: impact, details: details)
        return try store.raiseDecision(decision, audit: draft(
            "decision.raise", targets: [decision.id, subject.name], parameters(of: decision), outcome: "pending")).decision
    }

    /// Approves a pending decision as `actor`; refuses non-approvers and (unless allowed) the requester.
    public func approve(_ id: String, comment: String? = nil) throws -> RoutingDecision {
        try settle(id, to: .approved, comment: comment)
    }

    /// Rejects a pending decision as `actor`; a comment is required.
    public func reject(_ id: String, comment: String) throws -> RoutingDecision {
        guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw OperationError.invalidInput("a rejection needs a comment (--comment TEXT) saying why")
        }
        return try settle(id, to: .rejected, comment: comment)
    }

    private func settle(_ id: String, to state: RoutingDecision.State, comment typed: String?) throws -> RoutingDecision {
        let comment = typed.map(redacted)
        let verb = state == .approved ? "approve" : "reject"
        try requireWritable(verb)
        guard let decision = try store.decision(id: id) else { throw OperationError.noSuchDecision(id) }
        let refuse = { (error: OperationError) throws -> Never in
            try self.audit("decision.\(verb)", targets: [id], outcome: "refused: \(error.description)")
            throw error
        }
        if !settings.approvers.contains(actor) { try refuse(.notAnApprover(actor: actor, approvers: settings.approvers)) }
        if decision.state != .pending { try refuse(.decisionNotPending(id: id, state: decision.state)) }
        if state == .approved, decision.requestedBy == actor, !settings.allowSelfApproval { try refuse(.selfApproval(actor: actor, decisionID: id)) }
        if let moot = try mootReason(decision) {
            _ = try store.settleDecision(id: id, to: .expired, by: actor, at: clock.unixNow(), comment: moot,
                                         audit: draft("decision.expire", targets: [id], outcome: "expired: \(moot)"))
            throw OperationError.decisionNotPending(id: id, state: .expired)
        }
        var params: [String: String] = [:]
        if let comment, !comment.isEmpty { params["comment"] = comment }
        var outcome = state.rawValue
        if state == .approved, case .job = decision.subject, decision.toLane == .realtime {
            // No real-time executor yet: record exactly what would run, and say so.
            outcome += "; real-time executor not available yet: the unfinished requests listed in the decision will run when it is"
        }
        guard let settled = try store.settleDecision(id: id, to: state, by: actor, at: clock.unixNow(), comment: comment,
                                                     audit: draft("decision.\(verb)", targets: [id, decision.subject.name], params, outcome: outcome)) else {
            let now = try store.decision(id: id)?.state ?? .pending
            throw OperationError.decisionNotPending(id: id, state: now)
        }
        return settled
    }

    /// Expires pending decisions that no longer mean anything (job finished, workload gone); returns them.
    @discardableResult
    public func expireMootDecisions() throws -> [RoutingDecision] {
        if readOnly { return [] }
        var expired: [RoutingDecision] = []
        for decision in try store.decisions(states: [.pending]) {
            guard let reason = try mootReason(decision) else { continue }
            if let done = try store.settleDecision(id: decision.id, to: .expired, by: "batchtop", at: clock.unixNow(), comment: reason,
                                                   audit: AuditDraft(at: clock.unixNow(), actor: "batchtop", action: "decision.expire",
                                                                     targets: [decision.id], outcome: "expired: \(reason)")) {
                expired.append(done)
            }
        }
        return expired
    }

    func mootReason(_ decision: RoutingDecision) throws -> String? {
        switch decision.subject {
        case .job(let id):
            guard let job = try store.jobDetail(id: id)?.job else { return "job \(id) is no longer known" }
            return job.batch.status.isTerminal ? "job \(id) finished (\(job.batch.status))" : nil
        case .workload(let name):
            // A workload with no jobs at all was only ever a name; one that existed and has none now is gone.
            let exists = try store.workloadExists(name)
            return decision.source == .advisor && !exists ? "workload \(name) has no jobs any more" : nil
        }
    }

    /// The router over the config's rules and every approved workload decision.
    public func router() throws -> Router {
        Router(policy: settings.policy, overrides: try store.workloadOverrides())
    }

    /// Where `workload` goes now, by which rule or decision.
    public func route(workload: String, endpoint: String? = nil, model: String? = nil) -> Route {
        ((try? router()) ?? Router(policy: settings.policy)).route(workload: workload, endpoint: endpoint, model: model)
    }

    /// `route explain`: the route plus since when it holds.
    public func explain(workload: String, endpoint: String? = nil, model: String? = nil) throws -> RouteExplanation {
        let route = try router().route(workload: workload, endpoint: endpoint, model: model)
        var since: Int64? = nil
        if case .decision(let d) = route.reason { since = d.approvedAt }
        let pending = try store.decisions(states: [.pending]).filter { $0.subject == .workload(workload) }
        return RouteExplanation(workload: workload, route: route, since: since, pending: pending)
    }

    /// What approving a job's escalation to real time means today, said plainly.
    public static let escalationNote = "the job's unfinished custom_ids (input minus successful output) in the real-time lane; on approval the batch is cancelled and those requests run in real time"

    func parameters(of d: RoutingDecision) -> [String: String] {
        var p: [String: String] = ["subject": d.subject.description, "reason": d.reason, "source": d.source.rawValue]
        if let lane = d.toLane { p["to_lane"] = lane.rawValue }
        if let cls = d.toClass { p["to_class"] = cls.rawValue }
        if let impact = d.dailyCostImpact { p["daily_cost_micros"] = String(impact.value) }
        return p
    }
}

/// What `route explain` prints.
public struct RouteExplanation: Sendable, Hashable {
    public var workload: String
    public var route: Route
    /// When the deciding decision was approved; nil for a rule or the default (they hold while config says so).
    public var since: Int64?
    /// Decisions still waiting for approval that would change it.
    public var pending: [RoutingDecision]
}
