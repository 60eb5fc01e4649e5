import BatchKit
import Dashboard
import Synchronization
@testable import batchtop

/// An in-memory backend for runtime tests: static jobs, and a provider that moves a cancelled job
/// to `cancelling` at once and to `cancelled` on the next poll. Test-only; never shipped.
final class FakeBackend: DashboardBackend {
    struct State {
        var jobs: [JobRow]
        var performed: [Effect] = []
        var started = false
        var stopped = false
    }

    let now: Int64
    let state: Mutex<State>

    init(now: Int64, jobs: [JobRow]) {
        self.now = now
        state = Mutex(State(jobs: jobs))
    }

    var performed: [Effect] { state.withLock { $0.performed } }
    var stopped: Bool { state.withLock { $0.stopped } }

    func initialActions() throws -> [Action] {
        let jobs = state.withLock { $0.jobs }
        return [
            .jobsLoaded(jobs),
            .freshness(Freshness(lastSuccessAt: now, interval: 5)),
            .queueLoaded(QueueSnapshot(lanes: [LaneQueue(lane: .batch, held: 1, byStatus: [StatusCount(.inProgress, 2)], pendingRequests: 42)])),
            .spendLoaded(SpendSnapshot(day: "2026-01-01", today: [LaneSpend(lane: .batch, spent: MicroDollars(1_000_000), budget: MicroDollars(10_000_000))])),
            .decisionsLoaded([]),
        ]
    }

    func start(mailbox: DashboardMailbox) {
        state.withLock { $0.started = true }
        if let actions = try? initialActions() { mailbox.post(contentsOf: actions) }
    }

    func perform(_ effect: Effect, mailbox: DashboardMailbox) {
        let (actions): [Action] = state.withLock { s in
            s.performed.append(effect)
            switch effect {
            case .cancel(let ids):
                for i in s.jobs.indices where ids.contains(s.jobs[i].id) { s.jobs[i].status = .cancelling }
                return [
                    .jobsLoaded(s.jobs),
                    .operationFinished(OperationResult(effect: effect, succeeded: true, message: "cancel requested for \(ids.count) job(s)")),
                ]
            case .pollNow:
                for i in s.jobs.indices where s.jobs[i].status == .cancelling { s.jobs[i].status = .cancelled }
                return [.jobsLoaded(s.jobs)]
            case .loadJobDetail(let id):
                guard let row = s.jobs.first(where: { $0.id == id }) else { return [] }
                return [.jobDetailLoaded(JobDetail(row: row, batch: Batch(id: row.id, status: row.status, createdAt: row.createdAt), transitions: [StatusTransition(from: nil, to: row.status, at: now - 60)]))]
            default:
                return []
            }
        }
        mailbox.post(contentsOf: actions)
    }

    func stop() { state.withLock { $0.stopped = true } }

    static func jobs(now: Int64) -> [JobRow] {
        func job(_ id: String, _ status: BatchStatus, _ workload: String, age: Int64) -> JobRow {
            let b = Batch(
                id: id, model: "gpt-4o-mini", status: status, createdAt: now - age, inProgressAt: now - age + 10,
                expiresAt: now + 80_000, requestCounts: RequestCounts(total: 100, completed: 40), metadata: ["workload": workload])
            return JobRow(job: Job(batch: b, firstSeenAt: now - age, lastPolledAt: now), costSoFar: MicroDollars(250_000))
        }
        return [
            job("batch_a1", .inProgress, "nightly-eval", age: 100),
            job("batch_b2", .inProgress, "bulk-embed", age: 200),
            job("batch_c3", .completed, "support-summaries", age: 300),
            job("batch_d4", .validating, "bulk-embed", age: 400),
        ]
    }
}
