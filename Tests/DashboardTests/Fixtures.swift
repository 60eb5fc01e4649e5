import BatchKit
@testable import Dashboard

/// Sample data for reducer and snapshot tests, at a fixed time.
enum Fixtures {
    static let now: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    static let context = DashboardContext(organization: "acme-research", baseURL: "http://127.0.0.1:8787/v1")

    static func job(
        _ id: String, _ status: BatchStatus, workload: String? = "nightly-eval", lane: Lane = .batch,
        model: String = "gpt-4o-mini", total: Int = 1000, completed: Int = 0, failed: Int = 0, age: Int64 = 3600,
        inProgressFor: Int64? = nil, expiresIn: Int64? = 20 * 3600, cost: Int64? = nil, metadata: [String: String] = [:],
        cancelRequested: Bool = false
    ) -> JobRow {
        var meta = metadata
        if let workload { meta["workload"] = workload }
        let created = now - age
        let batch = Batch(
            id: id, model: model, inputFileID: "file-in-\(id)", status: status, createdAt: created,
            inProgressAt: inProgressFor.map { now - $0 } ?? (status == .validating ? nil : created + 30),
            expiresAt: expiresIn.map { now + $0 },
            requestCounts: RequestCounts(total: total, completed: completed, failed: failed), metadata: meta)
        return JobRow(
            job: Job(batch: batch, lane: lane, firstSeenAt: created, lastPolledAt: now, cancelRequestedAt: cancelRequested ? now - 5 : nil),
            costSoFar: cost.map(MicroDollars.init))
    }

    /// The provider batch behind a fixture row, as the detail view receives it.
    static func batch(of row: JobRow, metadata: [String: String] = [:]) -> Batch {
        Batch(
            id: row.id, model: row.model, inputFileID: "file-in-\(row.id)", status: row.status, createdAt: row.createdAt,
            inProgressAt: row.inProgressAt, expiresAt: row.expiresAt, requestCounts: row.counts, metadata: metadata)
    }

    static let jobs: [JobRow] = [
        job("batch_001", .inProgress, total: 1000, completed: 420, failed: 3, age: 2 * 3600, cost: 1_230_000),
        job("batch_002", .completed, workload: "support-summaries", total: 500, completed: 500, age: 26 * 3600, expiresIn: nil, cost: 4_560_000),
        job("batch_003", .failed, workload: "backfill-2025", total: 0, age: 5 * 3600, expiresIn: nil),
        job("batch_004", .validating, workload: "support-summaries", total: 0, age: 40),
        job("batch_005", .inProgress, workload: "翻訳-ジョブ", model: "gpt-4o", total: 2000, completed: 100, age: 10 * 3600, expiresIn: 3600, cost: 9_990_000),
        job("batch_006", .finalizing, workload: "nightly-eval", total: 300, completed: 290, failed: 10, age: 3 * 3600, cost: 700_000),
        job("batch_007", .cancelling, workload: "bulk-embed", model: "text-embedding-3-small", total: 10_000, completed: 2500, age: 7 * 3600, cost: 120_000),
        job("batch_008", .expired, workload: "bulk-embed", total: 800, completed: 600, failed: 0, age: 30 * 3600, expiresIn: nil, cost: 310_000),
        job("batch_009", .cancelled, workload: "evil\u{1B}]0;pwned\u{07}\u{1B}[31mred", total: 50, completed: 10, age: 12 * 3600, expiresIn: nil),
        job("batch_010", .inProgress, workload: nil, lane: .realtime, model: "gpt-4.1", total: 120, completed: 60, age: 600, cost: 45_000),
        job("batch_011", BatchStatus("paused_by_provider"), workload: "mystery", total: 10, age: 100),
    ]

    static let freshness = Freshness(lastSuccessAt: now - 4, interval: 5)

    static let queue = QueueSnapshot(lanes: [
        LaneQueue(
            lane: .batch, held: 3, byStatus: [StatusCount(.inProgress, 3), StatusCount(.validating, 1), StatusCount(.finalizing, 1)],
            pendingRequests: 10_577,
            tokens: [ModelTokens(model: "gpt-4o-mini", enqueued: 1_800_000, limit: 2_000_000), ModelTokens(model: "gpt-4o", enqueued: 250_000, limit: 1_000_000)],
            depthHistory: [1, 2, 2, 3, 5, 8, 6, 5, 4, 5, 6, 7]),
        LaneQueue(lane: .realtime, held: 0, byStatus: [StatusCount(.inProgress, 1)], pendingRequests: 60, tokens: [], depthHistory: [0, 1, 1, 0, 1]),
    ])

    static func day(_ i: Int) -> DaySpend {
        let label = "12-" + (i < 8 ? "0" : "") + String(i + 2)
        let realtime: Int64 = Int64(30 + i % 7 * 3) * 1_000_000
        let batch: Int64 = Int64(10 + i % 5 * 2) * 1_000_000
        return DaySpend(label: label, perLane: [.realtime: MicroDollars(realtime), .batch: MicroDollars(batch)])
    }

    static let spend = SpendSnapshot(
        day: "2026-01-01",
        today: [LaneSpend(lane: .realtime, spent: MicroDollars(42_500_000), budget: MicroDollars(50_000_000)),
                LaneSpend(lane: .batch, spent: MicroDollars(12_340_000), budget: MicroDollars(40_000_000))],
        daily: (0..<30).map(day),
        savedToday: MicroDollars(12_340_000), saved30Days: MicroDollars(410_000_000),
        topWorkloads: [NamedAmount("support-summaries", MicroDollars(30_000_000)), NamedAmount("nightly-eval", MicroDollars(12_000_000))],
        topModels: [NamedAmount("gpt-4o", MicroDollars(40_000_000)), NamedAmount("gpt-4o-mini", MicroDollars(14_840_000))])

    static let decisions: [DecisionRow] = [
        DecisionRow(
            id: "dec_01", subject: .workload("support-summaries"), fromLane: .realtime, toLane: .batch, toClass: .scheduled,
            reason: "nobody waits on summaries; advisor saw 40% of spend here", requestedBy: "advisor", requestedAt: now - 1800,
            costImpactPerDay: MicroDollars(-15_000_000)),
        DecisionRow(
            id: "dec_02", subject: .job("batch_005"), fromLane: .batch, toLane: .realtime, reason: "deadline at risk: ETA passes expiry",
            requestedBy: "ops@acme", requestedAt: now - 600, costImpactPerDay: MicroDollars(8_000_000)),
        DecisionRow(
            id: "dec_00", subject: .workload("nightly-eval"), fromLane: .realtime, toLane: .batch, reason: "evaluation class",
            requestedBy: "advisor", requestedAt: now - 86_400, costImpactPerDay: MicroDollars(-5_000_000), state: .approved,
            decidedBy: "lead@acme", decidedAt: now - 80_000, comment: "yes, evals can wait"),
    ]

    static var detail: JobDetail {
        JobDetail(
            row: jobs[0], batch: batch(of: jobs[0], metadata: ["workload": jobs[0].workload ?? ""]),
            transitions: [StatusTransition(from: nil, to: .validating, at: now - 7200), StatusTransition(from: .validating, to: .inProgress, at: now - 7170)],
            requestErrors: [ErrorGroup(code: "rate_limit_exceeded", count: 2, example: "Rate limit reached for gpt-4o-mini"), ErrorGroup(code: "invalid_request", count: 1, example: "bad\u{1B}[2Jmessages")],
            files: [FileEntry(role: "input", id: "file-in-batch_001", filename: "evals-2026-01-01.jsonl", bytes: 1_234_567)],
            childJobIDs: [], decisions: [decisions[2]],
            audit: [AuditEntry(at: now - 7200, actor: "ci-bot", action: "create", detail: "submitted by pipeline")])
    }

    /// A state with everything loaded, at `width` x `height`.
    static func loaded(width: Int = 80, height: Int = 24, readOnly: Bool = false, ascii: Bool = false) -> AppState {
        var ctx = context
        ctx.readOnly = readOnly
        ctx.ascii = ascii
        var s = AppState(context: ctx, width: width, height: height, now: now)
        for a: Action in [.jobsLoaded(jobs), .freshness(freshness), .queueLoaded(queue), .spendLoaded(spend), .decisionsLoaded(decisions)] {
            _ = reduce(&s, a)
        }
        return s
    }

    /// Applies actions, collecting every effect.
    @discardableResult
    static func run(_ s: inout AppState, _ actions: [Action]) -> [Effect] {
        actions.flatMap { reduce(&s, $0) }
    }

    /// Key actions from a string typed character by character.
    static func typing(_ text: String) -> [Action] { text.map { .key(.char($0)) } }
}
