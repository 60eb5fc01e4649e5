import BatchKit
import Dashboard

/// A loaded dashboard for the targets that drive the reducer and the renderer: jobs in every status, hostile
/// text (escape sequences, CJK, a bidi override), decisions, queue and spend, at a fixed time.
public enum DashboardFixture {
    public static let now: Int64 = 1_767_225_600

    static func job(_ id: String, _ status: BatchStatus, workload: String?, total: Int, completed: Int, failed: Int = 0,
                    age: Int64, expiresIn: Int64? = 20 * 3600) -> JobRow {
        var metadata: [String: String] = [:]
        if let workload { metadata["workload"] = workload }
        let created = now - age
        let batch = Batch(
            id: id, model: "gpt-4o-mini", inputFileID: "file-in-\(id)", status: status, createdAt: created,
            inProgressAt: status == .validating ? nil : created + 30, expiresAt: expiresIn.map { now + $0 },
            requestCounts: RequestCounts(total: total, completed: completed, failed: failed), metadata: metadata)
        return JobRow(job: Job(batch: batch, firstSeenAt: created, lastPolledAt: now), costSoFar: MicroDollars(1_230_000))
    }

    public static let jobs: [JobRow] = [
        job("batch_001", .inProgress, workload: "nightly-eval", total: 1000, completed: 420, failed: 3, age: 7200),
        job("batch_002", .completed, workload: "support-summaries", total: 500, completed: 500, age: 93_600, expiresIn: nil),
        job("batch_003", .failed, workload: "backfill-2025", total: 0, completed: 0, age: 18_000, expiresIn: nil),
        job("batch_004", .validating, workload: nil, total: 0, completed: 0, age: 40),
        job("batch_005", .inProgress, workload: "翻訳-ジョブ\u{202E}evil", total: 2000, completed: 100, age: 36_000, expiresIn: 3600),
        job("batch_006", .cancelling, workload: "evil\u{1B}]0;pwned\u{07}\u{1B}[31mred", total: 50, completed: 10, age: 600),
        job("batch_007", BatchStatus("paused_by_provider"), workload: "e\u{301}\u{301}\u{301}", total: 10, completed: 0, age: 100),
    ]

    public static let decisions: [DecisionRow] = [
        DecisionRow(
            id: "dec_01", subject: .workload("support-summaries"), fromLane: .realtime, toLane: .batch, toClass: .scheduled,
            reason: "nobody waits\u{1B}[2J on summaries", requestedBy: "advisor", requestedAt: now - 1800,
            costImpactPerDay: MicroDollars(-15_000_000)),
        DecisionRow(
            id: "dec_02", subject: .job("batch_005"), fromLane: .batch, toLane: .realtime, reason: "deadline at risk",
            requestedBy: "ops@acme", requestedAt: now - 600, costImpactPerDay: MicroDollars(8_000_000)),
    ]

    public static let queue = QueueSnapshot(lanes: [
        LaneQueue(
            lane: .batch, held: 3, byStatus: [StatusCount(.inProgress, 3), StatusCount(.validating, 1)], pendingRequests: 10_577,
            tokens: [ModelTokens(model: "gpt-4o-mini", enqueued: 1_800_000, limit: 2_000_000)], depthHistory: [1, 2, 3, 5, 8, 6]),
        LaneQueue(lane: .realtime, held: 0, byStatus: [StatusCount(.inProgress, 1)], pendingRequests: 60, depthHistory: [0, 1, 1]),
    ])

    public static let spend = SpendSnapshot(
        day: "2026-01-01",
        today: [LaneSpend(lane: .realtime, spent: MicroDollars(42_500_000), budget: MicroDollars(50_000_000)),
                LaneSpend(lane: .batch, spent: MicroDollars(12_340_000), budget: MicroDollars(40_000_000))],
        daily: (0..<30).map { DaySpend(label: "12-\($0 + 1)", perLane: [.realtime: MicroDollars(Int64($0) * 1_000_000), .batch: MicroDollars(5_000_000)]) },
        savedToday: MicroDollars(12_340_000), saved30Days: MicroDollars(410_000_000),
        topWorkloads: [NamedAmount("support-summaries", MicroDollars(30_000_000))],
        topModels: [NamedAmount("gpt-4o", MicroDollars(40_000_000))])

    /// A state with everything loaded.
    public static func loaded(width: Int = 80, height: Int = 24, readOnly: Bool = false, ascii: Bool = false) -> AppState {
        var context = DashboardContext(organization: "acme-research", baseURL: "http://127.0.0.1:8787/v1")
        context.readOnly = readOnly
        context.ascii = ascii
        var s = AppState(context: context, width: width, height: height, now: now)
        for a: Action in [.jobsLoaded(jobs), .freshness(Freshness(lastSuccessAt: now - 4, interval: 5)), .queueLoaded(queue),
                          .spendLoaded(spend), .decisionsLoaded(decisions)] {
            _ = reduce(&s, a)
        }
        return s
    }

    /// Whether a frame is exactly `width` x `height` and free of control characters (what reaches the terminal).
    public static func isClean(_ screen: Screen, width: Int, height: Int) -> Bool {
        screen.width == width && screen.height == height
            && !screen.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } }
    }
}
