import Foundation

/// Raises routing decisions on its own, each at most once while pending (deduplicated by key):
/// - a batch job whose `JobForecast` finish passes its deadline (`metadata.deadline`) or its expiry
///   -> escalate it to real time, with the extra cost;
/// - a workload the rules place in batch but seen spending in the real-time lane -> move it to batch,
///   with the daily saving.
///
/// Limitation: workload SLAs are not configurable yet, so only `metadata.deadline` and expiry count.
///
/// Costs are priced with the service's configured price table (`OperationsService.prices`).
public struct Advisor: Sendable {
    public init() {}

    /// Raises what it sees through `service` (as actor `advisor`); returns the newly raised decisions.
    public func run(_ service: OperationsService) throws -> [RoutingDecision] {
        try service.requireWritable("raise advisor decisions")
        let now = service.clock.unixNow()
        let prices = service.prices
        var raised: [RoutingDecision] = []
        func raise(_ d: RoutingDecision) throws {
            let (decision, created) = try service.store.raiseDecision(d, audit: AuditDraft(
                at: now, actor: "advisor", action: "decision.raise", targets: [d.id, d.subject.name],
                parameters: service.parameters(of: d), outcome: "pending"))
            if created { raised.append(decision) }
        }
        for job in try service.store.nonTerminalJobs() where job.lane == .batch {
            let forecast = JobForecast(job, now: now)
            guard let finish = forecast.finish, case .throughput = forecast.basis else { continue }
            let deadline = job.batch.metadata[MetadataKey.deadline].flatMap(Self.parseDeadline)
            let limit: (Int64, String)? = if let deadline, finish > deadline { (deadline, "deadline") }
                else if forecast.passesExpiry, let expiry = forecast.expiresAt { (expiry, "expiry") } else { nil }
            guard let (at, what) = limit else { continue }
            let pending = job.batch.requestCounts.pending
            try raise(RoutingDecision(
                id: OperationsService.newID("dec_"), subject: .job(job.id), fromLane: job.lane, toLane: .realtime, toClass: .urgent,
                reason: "at its observed rate (\(forecast.rateNote ?? "measured")) it finishes around \(Self.utc(finish)), after its \(what) (\(Self.utc(at))); \(pending) requests unfinished",
                source: .advisor, requestedBy: "advisor", requestedAt: now,
                dailyCostImpact: CostEstimate.remaining(job, from: .batch, to: .realtime, prices: prices),
                dedupeKey: "escalate:\(job.id)",
                details: ["pending_requests": String(pending),
                          "will_run": OperationsService.escalationNote]))
        }
        let router = try service.router()
        var seen = Set<String>()
        for job in try service.store.jobs(JobFilter(lane: .realtime, createdSince: now - 86_400)) {
            guard let workload = job.workload, seen.insert(workload).inserted else { continue }
            let route = router.route(workload: workload, endpoint: job.batch.endpoint, model: job.batch.model)
            guard route.lane == .batch else { continue }
            let saving = try CostEstimate.dailyWorkload(workload, from: .realtime, to: .batch, store: service.store, prices: prices, now: now)
            try raise(RoutingDecision(
                id: OperationsService.newID("dec_"), subject: .workload(workload), fromLane: .realtime, toLane: .batch, toClass: nil,
                reason: "class \(route.urgencyClass.map(\.rawValue) ?? "?") is not urgent but the workload spent in the real-time lane in the last 24 h",
                source: .advisor, requestedBy: "advisor", requestedAt: now, dailyCostImpact: saving,
                dedupeKey: "to-batch:\(workload)"))
        }
        return raised
    }

    /// `2026-11-30 08:15 UTC`: reasons are stored, so they carry absolute times, never "in 3h".
    static func utc(_ seconds: Int64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))) + " UTC"
    }

    /// `metadata.deadline`: unix seconds or ISO 8601.
    static func parseDeadline(_ text: String) -> Int64? {
        if let seconds = Int64(text) { return seconds }
        return ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}
