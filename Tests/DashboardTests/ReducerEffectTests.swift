import BatchKit
import Testing
@testable import Dashboard

/// Table tests of (state, actions) -> effects, centred on the write-safety rules.
@Suite struct ReducerEffectTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        /// Keys and other actions applied to the loaded fixture.
        var actions: [Action]
        var effects: [Effect]
        /// Text the toast must contain afterwards, if any.
        var toast: String? = nil
        var description: String { name }
    }

    static func keys(_ ks: Key...) -> [Action] { ks.map { .key($0) } }
    /// Selects a job by filtering to its id, then leaves the filter line (the filter stays).
    static func select(_ id: String) -> [Action] { keys(.char("/")) + Fixtures.typing(id) + keys(.enter) }

    static let cases: [Case] = [
        Case(name: "c then Esc does nothing", actions: select("batch_001") + keys(.char("c"), .escape), effects: []),
        Case(name: "c then Enter hits the default No", actions: select("batch_001") + keys(.char("c"), .enter), effects: []),
        Case(name: "c then n refuses", actions: select("batch_001") + keys(.char("c"), .char("n")), effects: []),
        Case(name: "c then y cancels", actions: select("batch_001") + keys(.char("c"), .char("y")), effects: [.cancel(jobIDs: ["batch_001"])], toast: "cancelling 1 job"),
        Case(name: "c, right to Yes, Enter cancels", actions: select("batch_001") + keys(.char("c"), .right, .enter), effects: [.cancel(jobIDs: ["batch_001"])]),
        Case(name: "c on a completed job says why", actions: select("batch_002") + keys(.char("c")), effects: [], toast: "can't cancel: job is already completed; there is nothing to cancel"),
        Case(name: "c on a cancelling job says why", actions: select("batch_007") + keys(.char("c")), effects: [], toast: "can't cancel: already cancelling"),
        Case(name: "R on a running job says why", actions: select("batch_001") + keys(.char("R")), effects: [], toast: "can't resubmit: job is in progress: resubmitting it now would run its requests twice"),
        Case(name: "R then y resubmits whole", actions: select("batch_008") + keys(.char("R"), .char("y")), effects: [.resubmit(jobID: "batch_008", failedOnly: false)]),
        Case(name: "F then y resubmits failed only", actions: select("batch_008") + keys(.char("F"), .char("y")), effects: [.resubmit(jobID: "batch_008", failedOnly: true)]),
        Case(name: "F on a clean completed job says why", actions: select("batch_002") + keys(.char("F")), effects: [], toast: "can't resubmit: every request already succeeded; nothing to resubmit"),
        Case(
            name: "m, reason, y raises a decision",
            actions: select("batch_001") + keys(.char("m")) + Fixtures.typing("users wait") + keys(.tab, .char("y")),
            effects: [.reclassify(target: .workload("nightly-eval"), to: .lane(.realtime), reason: "users wait")]),
        Case(
            name: "m, arrow to another choice",
            actions: select("batch_001") + keys(.char("m"), .down) + Fixtures.typing("cheaper") + keys(.tab, .right, .enter),
            effects: [.reclassify(target: .workload("nightly-eval"), to: .lane(.batch), reason: "cheaper")]),
        Case(name: "m without a reason is refused", actions: select("batch_001") + keys(.char("m"), .tab, .char("y")), effects: []),
        Case(name: "a, y approves the first pending decision", actions: keys(.char("4"), .char("a"), .tab, .char("y")), effects: [.approve(decisionID: "dec_01", comment: "")]),
        Case(name: "x without a comment is refused", actions: keys(.char("4"), .char("x"), .tab, .char("y")), effects: []),
        Case(
            name: "x with a comment rejects",
            actions: keys(.char("4"), .char("x")) + Fixtures.typing("too risky") + keys(.tab, .char("y")),
            effects: [.reject(decisionID: "dec_01", comment: "too risky")]),
        Case(name: "a on a decided decision says why", actions: keys(.char("4"), .char("G"), .char("a")), effects: [], toast: "already approved by lead@acme"),
        Case(name: "r polls now", actions: keys(.char("r")), effects: [.pollNow]),
        Case(name: "p pauses and resumes", actions: keys(.char("p"), .char("p")), effects: [.setPaused(true), .setPaused(false)]),
        Case(name: "Enter loads the detail", actions: select("batch_003") + keys(.enter), effects: [.loadJobDetail(jobID: "batch_003")]),
        Case(name: "q quits", actions: keys(.char("q")), effects: [.quit]),
        Case(name: "q in detail backs out", actions: keys(.enter, .char("q")), effects: [.loadJobDetail(jobID: "batch_004")]),
        Case(name: "Ctrl-C quits from a dialog", actions: select("batch_001") + keys(.char("c"), .ctrl("c")), effects: [.quit]),
        Case(name: ":q quits", actions: keys(.char(":"), .char("q"), .enter), effects: [.quit]),
        Case(name: "unknown command says so", actions: keys(.char(":")) + Fixtures.typing("frobnicate") + keys(.enter), effects: [], toast: "unknown command ':frobnicate'"),
    ]

    @Test(arguments: cases)
    func effects(_ c: Case) {
        var s = Fixtures.loaded()
        let effects = Fixtures.run(&s, c.actions)
        #expect(effects == c.effects)
        if let t = c.toast { #expect(s.toast?.text.contains(t) == true, "toast was \(s.toast?.text ?? "none")") }
    }

    @Test(arguments: cases)
    func readOnlyBlocksEveryWrite(_ c: Case) {
        var s = Fixtures.loaded(readOnly: true)
        var effects: [Effect] = []
        var toldReadOnly = false
        for action in c.actions {
            effects += reduce(&s, action)
            if s.toast?.text.contains("read-only") == true { toldReadOnly = true }
        }
        #expect(!effects.contains { $0.isWrite })
        #expect(s.dialog == nil, "read-only never opens a write dialog")
        if c.effects.contains(where: \.isWrite) { #expect(toldReadOnly, "the operator is told why") }
    }

    /// No single key, from any pane, produces a write: only a confirmed dialog does.
    @Test(arguments: Pane.allCases)
    func noWriteWithoutConfirm(_ pane: Pane) {
        var keys = Set(KeyMap.standard.bindings.flatMap(\.keys))
        keys.formUnion([.char("y"), .char("Y"), .enter, .char("n")])
        for key in keys {
            var s = Fixtures.loaded()
            _ = reduce(&s, .key(.char(Character(String(pane.rawValue)))))
            let effects = reduce(&s, .key(key))
            #expect(!effects.contains { $0.isWrite }, "key \(key) wrote: \(effects)")
        }
    }

    @Test func bulkCancelRequiresTypingTheCount() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, Self.keys(.char("s"), .char("g")) + Array(repeating: .key(.char(" ")), count: 11) + Self.keys(.char("c")))
        let dialog = try! #require(s.dialog)
        #expect(dialog.typedConfirmation == "6")
        #expect(Fixtures.run(&s, Self.keys(.tab, .tab, .char("y"))) == [])
        #expect(s.dialog?.error == "type 6 to confirm")
        let effects = Fixtures.run(&s, Fixtures.typing("6") + Self.keys(.tab, .tab, .char("y")))
        guard case .cancel(let ids)? = effects.first else {
            Issue.record("expected a cancel, got \(effects)")
            return
        }
        #expect(Set(ids) == ["batch_001", "batch_004", "batch_005", "batch_006", "batch_010", "batch_011"])
    }

    @Test func successfulCancelClearsMarksAndToasts() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, Self.keys(.char(" ")))
        #expect(s.marked == ["batch_004"])
        Fixtures.run(&s, [.operationFinished(OperationResult(effect: .cancel(jobIDs: ["batch_004"]), succeeded: true, message: "cancel requested for 1 job"))])
        #expect(s.marked.isEmpty)
        #expect(s.toast == Toast("cancel requested for 1 job", kind: .ok, expiresAt: Fixtures.now + 4))
        Fixtures.run(&s, [.tick(now: Fixtures.now + 4)])
        #expect(s.toast == nil)
    }
}
