import BatchKit
import Dashboard

/// The dashboard's write effects performed by the same `OperationsService` the commands use, and the
/// store's decisions and audit rows as dashboard snapshots. For the integrator's `DashboardBackend`.
extension OperationsService {
    /// Runs a write effect and says how it went; nil for effects that are not operations (poll, pause, ...).
    func perform(_ effect: Effect) async -> OperationResult? {
        do {
            switch effect {
            case .cancel(let ids):
                let outcomes = try await cancel(ids)
                let ok = outcomes.filter(\.succeeded).count
                let message = outcomes.count == 1 ? outcomes[0].message
                    : "cancel requested for \(ok) of \(outcomes.count) jobs" + (outcomes.first { !$0.succeeded }.map { "; \($0.message)" } ?? "")
                return OperationResult(effect: effect, succeeded: ok == outcomes.count, message: message)
            case .resubmit(let id, let failedOnly):
                return OperationResult(effect: effect, succeeded: true, message: try await resubmit(id, failedOnly: failedOnly).message)
            case .reclassify(let target, let to, let reason):
                let subject: RoutingDecision.Subject = switch target { case .job(let j): .job(j); case .workload(let w): .workload(w) }
                let (lane, cls): (Lane?, UrgencyClass?) = switch to { case .lane(let l): (l, nil); case .urgency(let u): (nil, u) }
                let d = try reclassify(subject, lane: lane, urgencyClass: cls, reason: reason)
                return OperationResult(effect: effect, succeeded: true, message: "decision \(d.id) pending: move \(d.subject) to \(d.change)")
            case .approve(let id, let comment):
                let d = try approve(id, comment: comment.isEmpty ? nil : comment)
                var message = "approved \(d.id): \(d.subject) to \(d.change)"
                if case .job = d.subject, (d.toLane ?? d.toClass.map(settings.policy.lane(for:))) == .realtime,
                   let transport = api as? any RealtimeTransport {
                    let outcome = try await applyEscalation(d.id, executor: RealtimeExecutor(transport: transport))
                    message += "; " + outcome.message
                }
                return OperationResult(effect: effect, succeeded: true, message: message)
            case .reject(let id, let comment):
                let d = try reject(id, comment: comment)
                return OperationResult(effect: effect, succeeded: true, message: "rejected \(d.id)")
            case .pollNow, .setPaused, .loadJobDetail, .quit:
                return nil
            }
        } catch {
            return OperationResult(effect: effect, succeeded: false, message: String(describing: error))
        }
    }

    /// Decisions for the decisions pane; expired ones are left out (the pane knows pending, approved, rejected).
    func decisionRows() throws -> [DecisionRow] {
        try store.decisions(states: [.pending, .approved, .rejected]).compactMap { d in
            let state: DecisionRow.State = switch d.state { case .approved: .approved; case .rejected: .rejected; default: .pending }
            guard let toLane = d.toLane ?? d.toClass.map(settings.policy.lane(for:)) else { return nil }
            let subject: DecisionSubject = switch d.subject { case .job(let j): .job(j); case .workload(let w): .workload(w) }
            // The lane stored when it was raised, never today's route (which an approved move has changed).
            return DecisionRow(id: d.id, subject: subject, fromLane: d.fromLane, toLane: toLane, toClass: d.toClass, reason: d.reason,
                               requestedBy: d.requestedBy, requestedAt: d.requestedAt, costImpactPerDay: d.dailyCostImpact,
                               state: state, decidedBy: d.decidedBy, decidedAt: d.decidedAt, comment: d.comment)
        }
    }

    /// A job's audit rows for the detail view.
    func auditEntries(jobID: String) throws -> [AuditEntry] {
        try store.auditRecords(target: jobID).map {
            AuditEntry(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.outcome)
        }
    }
}
