import Testing
@testable import BatchKit

@Suite struct RouterTests {
    static let policy = RoutingPolicy(
        rules: [
            RoutingRule(workload: "chat-*", urgencyClass: .interactive),
            RoutingRule(endpoint: "/v1/embeddings", urgencyClass: .bulk),
            RoutingRule(workload: "nightly-*", model: "gpt-4o*", urgencyClass: .evaluation),
            RoutingRule(workload: "nightly-*", urgencyClass: .urgent),
        ],
        defaultClass: .scheduled)

    @Test(arguments: [
        // workload, endpoint, model, lane, class, rule index (nil = default)
        ("chat-web", "/v1/chat/completions", "gpt-4o", Lane.realtime, UrgencyClass.interactive, 0 as Int?),
        ("embeddings-refresh", "/v1/embeddings", "text-embedding-3-small", .batch, .bulk, 1),
        ("nightly-eval", "/v1/chat/completions", "gpt-4o-mini", .batch, .evaluation, 2),
        ("nightly-eval", "/v1/chat/completions", "o3", .realtime, .urgent, 3),
        ("support-summaries", "/v1/responses", "gpt-5-mini", .batch, .scheduled, nil),
    ])
    func firstMatchingRuleWins(workload: String, endpoint: String, model: String, lane: Lane, urgencyClass: UrgencyClass, ruleIndex: Int?) {
        let route = Router(policy: Self.policy).route(workload: workload, endpoint: endpoint, model: model)
        #expect(route.lane == lane)
        #expect(route.urgencyClass == urgencyClass)
        switch route.reason {
        case .rule(let index, _): #expect(index == ruleIndex)
        case .defaultClass: #expect(ruleIndex == nil)
        case .decision: Issue.record("no decision was given")
        }
    }

    @Test func houseRuleMapsClassesToLanes() {
        #expect(UrgencyClass.allCases.filter { $0.defaultLane == .realtime } == [.interactive, .urgent])
        let policy = RoutingPolicy(laneOverrides: [.urgent: .batch])
        #expect(policy.lane(for: .urgent) == .batch)
        #expect(policy.lane(for: .interactive) == .realtime)
    }

    @Test func approvedDecisionOverridesRulesAndNewestWins() {
        let older = WorkloadOverride(workload: "chat-web", lane: .batch, urgencyClass: nil, decisionID: "dec_1", approvedAt: 10, approvedBy: "ana")
        let newer = WorkloadOverride(workload: "chat-web", lane: nil, urgencyClass: .backfill, decisionID: "dec_2", approvedAt: 20, approvedBy: "bo")
        let route = Router(policy: Self.policy, overrides: [older, newer]).route(workload: "chat-web")
        #expect(route.lane == .batch)
        #expect(route.urgencyClass == .backfill)
        #expect(route.explanation.contains("dec_2"))
        #expect(Router(policy: Self.policy, overrides: [older]).route(workload: "chat-other").lane == .realtime)
    }

    @Test func missingWorkloadNeverMatchesAWorkloadGlob() {
        let rule = RoutingRule(workload: "*", urgencyClass: .urgent)
        #expect(!rule.matches(workload: nil, endpoint: nil, model: nil))
        #expect(RoutingRule(urgencyClass: .bulk).matches(workload: nil, endpoint: nil, model: nil))
    }
}
