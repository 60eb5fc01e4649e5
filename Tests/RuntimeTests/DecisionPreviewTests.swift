import BatchKit
import Dashboard
import Foundation
import Testing
import TestSupport
@testable import batchtop

/// What the Decisions pane and its dialogs show about a decision: the lane it moves from (stored when
/// raised) and a cost impact priced with the configured price table, through the dashboard's own wiring.
@Suite final class DecisionPreviewTests {
    let dir: URL

    init() throws { dir = try BatchFixtures.temporaryDirectory("decision-preview") }
    deinit { try? FileManager.default.removeItem(at: dir) }

    /// The dashboard's environment for a config directory holding `config.toml` (and a price file).
    func environment(_ toml: String, user: String) throws -> AppEnvironment {
        let cfg = dir.appendingPathComponent("cfg")
        try FileManager.default.createDirectory(at: cfg, withIntermediateDirectories: true)
        try Data(toml.utf8).write(to: cfg.appendingPathComponent("config.toml"))
        let config = try ConfigLoader(
            environment: ["BATCHTOP_CONFIG_DIR": cfg.path, "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
                          "XDG_STATE_HOME": dir.appendingPathComponent("state").path, "OPENAI_API_KEY": "sk-test", "USER": user],
            home: dir, workingDirectory: dir
        ).load(databaseFlag: dir.appendingPathComponent("batchtop.sqlite").path)
        return try AppEnvironment.open(config: config, profile: .command)
    }

    /// The decisions pane with `rows`, as drawn, after `keys`.
    static func pane(_ rows: [DecisionRow], keys: [Key] = []) -> AppState {
        var state = AppState(context: DashboardContext(organization: "acme", baseURL: "http://127.0.0.1:1/v1"), width: 160, height: 30, now: 1_767_225_600)
        _ = reduce(&state, .decisionsLoaded(rows))
        _ = reduce(&state, .key(.char("4")))
        for key in keys { _ = reduce(&state, .key(key)) }
        return state
    }

    @Test func anApprovedMoveShowsBatchToRealtimeInThePane() async throws {
        let toml = "[approvals]\napprovers = [\"ben\"]\n"
        let ana = try #require(try environment(toml, user: "ana").operations)
        let raised = try #require(await ana.perform(.reclassify(target: .workload("nightly-eval"), to: .lane(.realtime), reason: "users wait")))
        #expect(raised.succeeded, "\(raised.message)")
        let ben = try #require(try environment(toml, user: "ben").operations)
        let id = try #require(try ben.decisionRows().first?.id)
        let approved = try #require(await ben.perform(.approve(decisionID: id, comment: "")))
        #expect(approved.succeeded, "\(approved.message)")
        #expect(ben.route(workload: "nightly-eval").lane == .realtime, "the route moved")

        let row = try #require(try ben.decisionRows().first)
        #expect(row.state == .approved && row.fromLane == .batch && row.toLane == .realtime)
        let text = render(Self.pane([row]), palette: BuiltinThemes.default.palette(depth: .ansi256)).text
        #expect(text.contains("batch → realtime"), "\(text)")
        #expect(!text.contains("realtime → realtime"))
    }

    @Test func theDashboardPricesWithTheConfiguredPriceFile() async throws {
        let priceFile = dir.appendingPathComponent("prices.toml")
        try Data("[models.\"gpt-4o-mini\"]\ninput = 40\noutput = 90\nbatch_input = 1\nbatch_output = 2\n".utf8).write(to: priceFile)
        let toml = "[approvals]\napprovers = [\"ben\"]\n[prices]\nfile = \"\(priceFile.path)\"\n[[routing.rules]]\nworkload = \"chat-*\"\nclass = \"interactive\"\n"
        let env = try environment(toml, user: "ana")
        let ops = try #require(env.operations)
        #expect(env.prices == ops.prices, "one configured table for the screen's costs and the operations'")

        // A day of real-time spend by chat-support.
        let usage = TokenUsage(inputTokens: 2_000_000, outputTokens: 500_000)
        var batch = BatchFixtures.batch(1, status: .completed, createdAt: Int64(Date().timeIntervalSince1970) - 3_600,
                                        total: 10, completed: 10, workload: "chat-support", model: "gpt-4o-mini")
        batch.usage = usage
        batch.metadata[MetadataKey.lane] = "realtime"
        try env.store.recordObservedBatch(batch, observedAt: batch.createdAt)

        let configured = try #require(CostEstimate.delta(usage, model: "gpt-4o-mini", from: .realtime, to: .batch,
                                                         prices: try PriceTable.loadingUserFile(at: priceFile.path)))
        let shipped = try #require(CostEstimate.delta(usage, model: "gpt-4o-mini", from: .realtime, to: .batch,
                                                      prices: try PriceTable.shippedDefault()))
        #expect(configured != shipped)

        let raised = try #require(await ops.perform(.reclassify(target: .workload("chat-support"), to: .lane(.batch), reason: "cheaper")))
        #expect(raised.succeeded, "\(raised.message)")
        let row = try #require(try ops.decisionRows().first)
        #expect(row.costImpactPerDay == configured)
        // The approve dialog's preview.
        let state = Self.pane([row], keys: [.char("a")])
        let lines = try #require(state.dialog?.lines)
        #expect(lines.contains { $0.contains("cost impact: \(configured.formatted)/day") }, "\(lines)")
    }
}
