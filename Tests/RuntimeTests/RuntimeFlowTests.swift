import BatchKit
import Dashboard
import Foundation
import Terminal
import Testing
@testable import batchtop

/// The runtime loop driven through `TestTerminal`: navigation, filter, the cancel dialog, resize.
@Suite struct RuntimeFlowTests {
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    struct Harness {
        let terminal: TestTerminal
        let backend: FakeBackend
        let clock: ManualClock
        let runtime: DashboardRuntime

        init(width: Int = 80, height: Int = 24, readOnly: Bool = false) {
            clock = ManualClock(RuntimeFlowTests.start)
            terminal = TestTerminal(width: width, height: height)
            backend = FakeBackend(now: clock.unixNow(), jobs: FakeBackend.jobs(now: clock.unixNow()))
            runtime = DashboardRuntime(
                terminal: terminal, backend: backend, clock: clock,
                context: DashboardContext(organization: "acme", baseURL: "http://127.0.0.1:9/v1", readOnly: readOnly),
                theme: BuiltinThemes.default)
        }

        /// Runs until every scripted event is consumed (plus one turn to drain the mailbox).
        func run() throws { try runtime.run(maxSteps: terminal.pendingEvents.count + 1) }

        /// The terminal must show exactly what a full render of the state shows.
        func expectConsistent(sourceLocation: SourceLocation = #_sourceLocation) {
            let expected = render(runtime.state, palette: BuiltinThemes.default.palette(depth: terminal.colorDepth))
            #expect(terminal.grid == expected, "terminal and render disagree", sourceLocation: sourceLocation)
        }
    }

    @Test func navigatesPanesAndDetail() throws {
        let h = Harness()
        h.terminal.type(.char("j"), .enter)
        try h.run()
        #expect(h.runtime.state.detail?.jobID == "batch_b2")
        #expect(h.terminal.text.contains("Job batch_b2"))
        #expect(h.terminal.text.contains("Timeline"), "detail loaded through the mailbox")
        h.expectConsistent()

        h.terminal.type(.escape, .tab)
        try h.runtime.run(maxSteps: 3)
        #expect(h.runtime.state.pane == .queue)
        #expect(h.terminal.text.contains("held for admission 1"))
        h.terminal.type(.char("3"))
        try h.runtime.run(maxSteps: 2)
        #expect(h.terminal.text.contains("$1.00 of $10.00"))
        h.terminal.type(.char("4"), .char("q"))
        try h.runtime.run(maxSteps: 10)
        #expect(h.runtime.state.quitting)
        #expect(h.terminal.stopped && h.backend.stopped, "quitting restores the terminal and stops the backend")
    }

    @Test func filtersIncrementally() throws {
        let h = Harness()
        h.terminal.type(.char("/"))
        h.terminal.type(text: "bulk")
        h.terminal.type(.enter)
        try h.run()
        let text = h.terminal.text
        #expect(text.contains("batch_b2") && text.contains("batch_d4"))
        #expect(!text.contains("batch_a1") && !text.contains("batch_c3"))
        #expect(text.contains("filter: bulk (2 of 4)"))
        h.terminal.type(.char("/"))
        h.terminal.type(text: "zz")
        try h.run()
        #expect(h.terminal.text.contains("no matches for 'bulkzz'"))
        h.expectConsistent()
    }

    @Test func cancelThroughTheDialogUntilCancelled() throws {
        let h = Harness()
        // The first row is the newest job, batch_a1, in progress.
        h.terminal.type(.char("c"))
        try h.run()
        #expect(h.terminal.text.contains("Cancel 1 job?"))
        #expect(h.terminal.text.contains("[ No ]"))
        #expect(h.backend.performed.isEmpty, "the dialog alone writes nothing")

        h.terminal.type(.char("y"))
        try h.run()
        #expect(h.backend.performed == [.cancel(jobIDs: ["batch_a1"])])
        #expect(h.terminal.text.contains("◐ cancelling"))
        #expect(h.terminal.text.contains("cancel requested for 1 job"))

        h.terminal.type(.char("r"))
        try h.run()
        #expect(h.terminal.text.contains("⊘ cancelled"))
        h.expectConsistent()
    }

    @Test func resizeToMinimumAndBack() throws {
        let h = Harness()
        h.terminal.type(.char("j"))
        h.terminal.resize(width: 60, height: 15)
        try h.run()
        #expect(h.terminal.grid.width == 60 && h.terminal.grid.height == 15)
        #expect(h.terminal.text.contains("batch_b2"))
        #expect(!h.terminal.text.contains("too small"))
        h.expectConsistent()

        h.terminal.resize(width: 40, height: 10)
        try h.run()
        #expect(h.terminal.text.contains("terminal too small: 40x10, need 60x15"))

        h.terminal.resize(width: 80, height: 24)
        try h.run()
        #expect(h.runtime.state.selectedJobID == "batch_b2", "selection survives the resizes")
        #expect(h.terminal.text.contains("1 Jobs"))
        h.expectConsistent()
    }

    @Test func quitSignalQuitsCleanly() throws {
        let h = Harness()
        h.terminal.pendingEvents.append(.quitSignal(15))
        try h.runtime.run(maxSteps: 5)
        #expect(h.runtime.state.quitting)
        #expect(h.terminal.stopped)
    }

    @Test func ticksAdvanceAges() throws {
        let h = Harness()
        try h.runtime.run(maxSteps: 1)
        #expect(h.terminal.text.contains("updated 0s ago"))
        h.clock.advance(by: 12)
        try h.runtime.run(maxSteps: 1)
        #expect(h.terminal.text.contains("updated 12s ago"))
        h.clock.advance(by: 20)
        try h.runtime.run(maxSteps: 1)
        #expect(h.terminal.text.contains("stale: updated 32s ago"))
    }

    @Test func readOnlyRefusesWrites() throws {
        let h = Harness(readOnly: true)
        h.terminal.type(.char("c"), .char("y"))
        try h.run()
        #expect(h.backend.performed.isEmpty)
        #expect(h.terminal.text.contains("READ-ONLY"))
    }

    @Test func renderOnceIsPlainText() throws {
        let clock = ManualClock(Self.start)
        let backend = FakeBackend(now: clock.unixNow(), jobs: FakeBackend.jobs(now: clock.unixNow()))
        let text = try DashboardRuntime.renderOnce(
            backend: backend, clock: clock, context: DashboardContext(baseURL: "http://x/v1"), theme: BuiltinThemes.default,
            width: 100, height: 20)
        #expect(text.split(separator: "\n").count <= 20)
        #expect(text.contains("batch_a1") && text.contains("in flight 3"))
        #expect(!text.contains("\u{1B}"))
    }

    @Test func mailboxKeepsOnlyTheNewestSnapshotOfEachKind() {
        let box = DashboardMailbox()
        box.post(.jobsLoaded([]))
        box.post(.key(.char("j")))
        box.post(.jobsLoaded(FakeBackend.jobs(now: 0)))
        box.post(.freshness(Freshness(interval: 5)))
        let drained = box.drain()
        #expect(drained == [.key(.char("j")), .jobsLoaded(FakeBackend.jobs(now: 0)), .freshness(Freshness(interval: 5))])
        #expect(box.drain().isEmpty)
    }

    @Test func mailboxKeepsEveryChangeUnlessAWholeListFollows() {
        let jobs = FakeBackend.jobs(now: 0)
        let box = DashboardMailbox()
        box.post(.jobsChanged([jobs[0]]))
        box.post(.jobsChanged([jobs[1]]))
        #expect(box.drain() == [.jobsChanged([jobs[0]]), .jobsChanged([jobs[1]])], "each change is a delta: none may be lost")
        box.post(.jobsChanged([jobs[0]]))
        box.post(.jobsLoaded(jobs))
        box.post(.jobsChanged([jobs[2]]))
        #expect(box.drain() == [.jobsLoaded(jobs), .jobsChanged([jobs[2]])], "a whole list read later covers the earlier change")
    }
}
