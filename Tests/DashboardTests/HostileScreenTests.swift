import BatchKit
import Testing
@testable import Dashboard

/// Every pane, the detail, help and dialogs drawn from hostile data: no cell of the screen may hold
/// anything a terminal would act on (escape, C0, DEL, C1, bidi control). The one sanitizer
/// (`UntrustedText`, called by `Canvas.text`) is what guarantees it.
@Suite struct HostileScreenTests {
    static let hostile = "evil\u{1B}]52;c;cm0gLXJmIH4=\u{07}\u{1B}]0;t\u{1B}\\\u{1B}[2J\u{01}\u{08}\r\u{7F}\u{9B}2J\u{9D}0;t\u{9C}\u{85}\u{202E}gpj.exe\u{2066}x\u{2069}\u{200F}\u{061C}\nend"

    static func state(width: Int, height: Int) -> AppState {
        let h = hostile
        let context = DashboardContext(organization: "org" + h, baseURL: "http://" + h)
        var s = AppState(context: context, width: width, height: height, now: Fixtures.now)
        let jobs = [
            Fixtures.job("batch_1" + h, .inProgress, workload: h, model: h, completed: 3, metadata: ["notes": h, h: h]),
            Fixtures.job("batch_2", BatchStatus("paused" + h), workload: String(repeating: h, count: 2000), total: 0),
            Fixtures.job("batch_3", .failed, workload: "w" + h, lane: .realtime, expiresIn: nil),
        ]
        let queue = QueueSnapshot(lanes: [
            LaneQueue(lane: .batch, held: 1, byStatus: [StatusCount(BatchStatus(h), 2)], pendingRequests: 5,
                      tokens: [ModelTokens(model: h, enqueued: 10, limit: 100)], depthHistory: [1, 2, 3]),
        ])
        let spend = SpendSnapshot(
            day: "2026-01-01" + h, today: [LaneSpend(lane: .batch, spent: MicroDollars(1_000), budget: nil)], daily: [],
            savedToday: MicroDollars(0), saved30Days: MicroDollars(0),
            topWorkloads: [NamedAmount(h, MicroDollars(5))], topModels: [NamedAmount(h, MicroDollars(5))])
        let decisions = [
            DecisionRow(id: "dec_" + h, subject: .workload(h), fromLane: .realtime, toLane: .batch, reason: h, requestedBy: h,
                        requestedAt: Fixtures.now - 60, costImpactPerDay: MicroDollars(-1)),
            DecisionRow(id: "dec_2", subject: .job("batch_1" + h), fromLane: .batch, toLane: .realtime, reason: h, requestedBy: "advisor",
                        requestedAt: Fixtures.now - 60, costImpactPerDay: MicroDollars(1), state: .approved, decidedBy: h,
                        decidedAt: Fixtures.now, comment: h),
        ]
        for a: Action in [.jobsLoaded(jobs), .freshness(Freshness(lastSuccessAt: Fixtures.now - 100, lastError: h, nextRetryAt: Fixtures.now + 5)),
                          .queueLoaded(queue), .spendLoaded(spend), .decisionsLoaded(decisions)] {
            _ = reduce(&s, a)
        }
        return s
    }

    static var detail: JobDetail {
        let h = hostile
        let row = Fixtures.job("batch_1" + h, .inProgress, workload: h, model: h)
        return JobDetail(
            row: row, batch: Fixtures.batch(of: row, metadata: ["workload": h, h: h]),
            transitions: [StatusTransition(from: BatchStatus(h), to: .inProgress, at: Fixtures.now - 60)],
            requestErrors: [ErrorGroup(code: h, count: 2, example: h)],
            files: [FileEntry(role: "output" + h, id: "file-" + h, filename: h, bytes: 10)],
            childJobIDs: ["batch_child" + h], decisions: [],
            audit: [AuditEntry(at: Fixtures.now, actor: h, action: h, detail: h)])
    }

    /// What in a screen could act on a terminal, by position.
    static func hazards(_ screen: Screen) -> [String] {
        var found: [String] = []
        for y in 0..<screen.height {
            for x in 0..<screen.width where screen[x, y].character.unicodeScalars.contains(where: UntrustedText.isUnsafe) {
                found.append("(\(x),\(y)) \(screen[x, y].character.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
        return found
    }

    @Test(arguments: [(160, 48), (80, 24)])
    func everyViewOfHostileDataIsClean(width: Int, height: Int) {
        var s = Self.state(width: width, height: height)
        let palette = BuiltinThemes.default.palette(depth: .ansi256)
        var views: [(String, [Action])] = [
            ("jobs", []), ("queue", [.key(.char("2"))]), ("spend", [.key(.char("3"))]), ("decisions", [.key(.char("4"))]),
            ("decision dialog", [.key(.char("a"))]), ("back to jobs", [.key(.escape), .key(.char("1"))]),
            ("filter", Fixtures.typing("/evil")), ("help", [.key(.escape), .key(.char("?"))]),
            ("detail", [.key(.escape), .key(.enter), .jobDetailLoaded(Self.detail)]),
            ("operation message", [.operationFinished(OperationResult(effect: .pollNow, succeeded: false, message: Self.hostile))]),
        ]
        views.append(("cancel dialog", [.key(.escape), .key(.char("c"))]))
        for (name, actions) in views {
            Fixtures.run(&s, actions)
            if s.quitting { s.quitting = false }
            let screen = render(s, palette: palette)
            #expect(Self.hazards(screen).isEmpty, "\(name) at \(width)x\(height): \(Self.hazards(screen).prefix(5))\n\(screen.text)")
        }
    }
}
