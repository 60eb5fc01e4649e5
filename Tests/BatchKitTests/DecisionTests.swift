import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite final class DecisionTests {
    let dir: URL
    let store: BatchStore
    let clock = ManualClock(Date(timeIntervalSince1970: 1_767_225_600))
    let settings = OperationsSettings(approvers: ["ana", "ben"], policy: RoutingPolicy(rules: [
        RoutingRule(workload: "chat-*", urgencyClass: .interactive),
        RoutingRule(endpoint: "/v1/embeddings", urgencyClass: .bulk),
    ]))

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("decisions")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func ops(_ actor: String, allowSelf: Bool = false, readOnly: Bool = false) -> OperationsService {
        var s = settings
        s.allowSelfApproval = allowSelf
        return OperationsService(store: store, api: nil, clock: clock, actor: actor, settings: s, dataDirectory: dir, readOnly: readOnly)
    }

    @Test func reclassifyRaisesAPendingDecisionAndChangesNothing() throws {
        let before = try ops("ana").explain(workload: "chat-support")
        #expect(before.route.lane == .realtime)
        let d = try ops("ana").reclassify(.workload("chat-support"), lane: .batch, urgencyClass: nil, reason: "nobody waits at night")
        #expect(d.state == .pending && d.requestedBy == "ana" && d.id.hasPrefix("dec_"))
        let after = try ops("ana").explain(workload: "chat-support")
        #expect(after.route.lane == .realtime, "a pending decision is never applied")
        #expect(after.pending.map(\.id) == [d.id])
        #expect(try store.auditRecords().map(\.action) == ["decision.raise"])
    }

    @Test func approvedByASecondIdentityTheRouterFollows() throws {
        let d = try ops("ana").reclassify(.workload("chat-support"), lane: .batch, urgencyClass: nil, reason: "cheaper")
        clock.advance(by: 60)
        let approved = try ops("ben").approve(d.id, comment: "ok")
        #expect(approved.state == .approved && approved.decidedBy == "ben" && approved.decidedAt == clock.unixNow())
        let explained = try ops("carl").explain(workload: "chat-support")
        #expect(explained.route.lane == .batch)
        #expect(explained.since == clock.unixNow())
        guard case .decision(let o) = explained.route.reason else { Issue.record("expected a decision"); return }
        #expect(o.decisionID == d.id && o.approvedBy == "ben")
        // Other workloads still follow the rules.
        #expect(try ops("ana").explain(workload: "chat-sales").route.lane == .realtime)
        #expect(try store.auditRecords().map(\.actor) == ["ana", "ben"])
    }

    @Test("refusals: a non-approver, self-approval, a settled decision; each audited")
    func refusals() throws {
        let d = try ops("ana").reclassify(.workload("w"), lane: nil, urgencyClass: .urgent, reason: "deadline")
        #expect(throws: OperationError.notAnApprover(actor: "carl", approvers: ["ana", "ben"])) { try self.ops("carl").approve(d.id) }
        #expect(throws: OperationError.selfApproval(actor: "ana", decisionID: d.id)) { try self.ops("ana").approve(d.id) }
        #expect(throws: OperationError.invalidInput("a rejection needs a comment (--comment TEXT) saying why")) {
            try self.ops("ben").reject(d.id, comment: "  ")
        }
        let rejected = try ops("ben").reject(d.id, comment: "not needed")
        #expect(rejected.state == .rejected && rejected.comment == "not needed")
        #expect(throws: OperationError.decisionNotPending(id: d.id, state: .rejected)) { try self.ops("ben").approve(d.id) }
        let outcomes = try store.auditRecords().map(\.outcome)
        #expect(outcomes.filter { $0.hasPrefix("refused") }.count == 3)
        #expect(try store.verifyAudit().isIntact)
    }

    @Test func selfApprovalWhenConfigAllowsIt() throws {
        let d = try ops("ana", allowSelf: true).reclassify(.workload("w"), lane: .realtime, urgencyClass: nil, reason: "r")
        #expect(try ops("ana", allowSelf: true).approve(d.id).state == .approved)
    }

    @Test func badInputIsRefusedClearly() throws {
        #expect(throws: OperationError.self) { try self.ops("ana").reclassify(.workload("w"), lane: nil, urgencyClass: nil, reason: "r") }
        #expect(throws: OperationError.self) { try self.ops("ana").reclassify(.workload("w"), lane: .batch, urgencyClass: nil, reason: "") }
        #expect(throws: OperationError.noSuchJob("batch_nope")) {
            try self.ops("ana").reclassify(.job("batch_nope"), lane: .realtime, urgencyClass: nil, reason: "r")
        }
        #expect(throws: OperationError.noSuchDecision("dec_x")) { try self.ops("ben").approve("dec_x") }
    }

    @Test func readOnlyRefusesEveryWrite() throws {
        let ro = ops("ben", readOnly: true)
        #expect(throws: OperationError.readOnly(action: "reclassify")) { try ro.reclassify(.workload("w"), lane: .batch, urgencyClass: nil, reason: "r") }
        #expect(throws: OperationError.readOnly(action: "approve")) { try ro.approve("dec_x") }
        #expect(throws: OperationError.readOnly(action: "reject")) { try ro.reject("dec_x", comment: "c") }
        #expect(try store.decisions().isEmpty)
    }

    @Test func aJobDecisionExpiresWhenTheJobFinishes() throws {
        let running = BatchFixtures.batch(1, status: .inProgress, completed: 1)
        try store.recordObservedBatch(running, observedAt: clock.unixNow())
        let d = try ops("ana").reclassify(.job(running.id), lane: .realtime, urgencyClass: nil, reason: "late")
        #expect(try ops("ana").expireMootDecisions().isEmpty)
        var done = running
        done.status = .completed
        try store.recordObservedBatch(done, observedAt: clock.unixNow())
        let expired = try ops("ana").expireMootDecisions()
        #expect(expired.map(\.id) == [d.id])
        #expect(try store.decision(id: d.id)?.state == .expired)
        #expect(try store.decision(id: d.id)?.comment?.contains("finished") == true)
    }

    @Test("config: [approvals] and [[routing.rules]] parse; mistakes name the key",
          arguments: [
            ("[approvals]\napprovers = [\"ana\"]\nallow_self_approval = true\n[routing]\ndefault_class = \"bulk\"\n[[routing.rules]]\nworkload = \"chat-*\"\nclass = \"urgent\"\n", nil),
            ("[approvals]\napprovers = \"ana\"\n", "approvals.approvers"),
            ("[[routing.rules]]\nworkload = \"x\"\nclass = \"soon\"\n", "routing.rules[1].class"),
            ("[[routing.rules]]\nworkload = \"x\"\n", "routing.rules[1]"),
            ("[routing]\ncolour = 1\n", "routing.colour"),
          ] as [(String, String?)])
    func settingsParse(toml: String, badKey: String?) throws {
        let sections = try ConfigValue.parse(toml: toml)
        if let badKey {
            #expect { try OperationsSettings.parse(sections, path: "c.toml") } throws: { error in
                guard case ConfigError.invalidValue(_, _, let key, _) = error else { return false }
                return key == badKey
            }
        } else {
            let s = try OperationsSettings.parse(sections, path: "c.toml")
            #expect(s.approvers == ["ana"] && s.allowSelfApproval)
            #expect(s.policy.defaultClass == .bulk)
            #expect(s.policy.rules == [RoutingRule(workload: "chat-*", urgencyClass: .urgent)])
        }
    }

    /// A key pasted into `--reason` or `--comment` is redacted before the decision is stored, so
    /// `decisions` never shows it; the configured keys too, whatever their shape.
    @Test func keysTypedIntoReasonsAndCommentsAreNeverStored() throws {
        let proxy = Secret("proxy-token-0123456789abcdef")
        func ops(_ actor: String) -> OperationsService {
            OperationsService(store: store, api: nil, clock: clock, actor: actor, settings: settings, dataDirectory: dir, secrets: [proxy])
        }
        let pasted = "oops sk-proj-abcdefghijklmnopqrstuv9999 and proxy-token-0123456789abcdef pasted"
        let d = try ops("ana").reclassify(.workload("nightly"), lane: .batch, urgencyClass: nil, reason: pasted)
        _ = try ops("ben").reject(d.id, comment: "never paste Bearer abcdefghijklmnop nor sk-live-zzzzzzzzzzzzzzzz1111")
        let stored = try #require(try store.decision(id: d.id))
        let everything = [stored.reason, stored.comment ?? ""] + (try store.auditRecords()).flatMap { [$0.outcome] + Array($0.parameters.values) }
        for text in everything {
            for secret in ["abcdefghijklmnopqrstuv", "0123456789abcdef", "abcdefghijklmnop", "zzzzzzzzzzzz"] {
                #expect(!text.contains(secret), "\(secret) stored in: \(text)")
            }
        }
        #expect(stored.reason == "oops [redacted] and [redacted] pasted")
        #expect(stored.comment == "never paste [redacted] [redacted] nor [redacted]")
    }
}
