import BatchKit
import Testing
@testable import Dashboard

/// Table and scenario tests of how actions change state: selection, filter, sort, reloads, paging.
@Suite struct ReducerStateTests {
    func visibleIDs(_ s: AppState) -> [String] { (0..<s.jobs.visible.count).map { s.jobs.visibleRow($0).id } }

    @Test func selectionSurvivesResorting() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.down), .key(.down), .key(.down), .key(.down)])
        let chosen = try! #require(s.selectedJobID)
        for _ in SortColumn.allCases {
            Fixtures.run(&s, [.key(.char("s"))])
            #expect(s.selectedJobID == chosen)
            #expect(s.jobs.visibleRow(s.cursor).id == chosen, "sorted by \(s.jobs.sort)")
            Fixtures.run(&s, [.key(.char("S"))])
            #expect(s.jobs.visibleRow(s.cursor).id == chosen, "reverse \(s.jobs.sort)")
        }
    }

    @Test func selectionSurvivesPolling() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.down), .key(.down), .key(.down)])
        let chosen = try! #require(s.selectedJobID)
        // The next poll: one new job (newest, so it sorts first), one changed job.
        var rows = Fixtures.jobs
        rows[0].counts.completed += 100
        rows.append(Fixtures.job("batch_012", .validating, age: 1))
        Fixtures.run(&s, [.jobsLoaded(rows.reversed())])
        #expect(s.selectedJobID == chosen)
        #expect(s.jobs.visibleRow(s.cursor).id == chosen)
        #expect(s.changedIDs == ["batch_001", "batch_012"])
        // A poll without the selected job keeps a valid selection at the same position.
        Fixtures.run(&s, [.jobsLoaded(rows.filter { $0.id != chosen })])
        #expect(s.selectedJobID != nil && s.selectedJobID != chosen)
        #expect(s.jobs.visibleRow(s.cursor).id == s.selectedJobID)
    }

    @Test func firstLoadHighlightsNothing() {
        let s = Fixtures.loaded()
        #expect(s.changedIDs.isEmpty)
        #expect(s.jobsLoadedOnce)
    }

    struct FilterCase: CustomStringConvertible, Sendable {
        var text: String
        var expected: [String]
        var description: String { text }
    }

    static let filters: [FilterCase] = [
        FilterCase(text: "nightly", expected: ["batch_001", "batch_006"]),
        FilterCase(text: "!nightly", expected: ["batch_004", "batch_011", "batch_010", "batch_003", "batch_007", "batch_005", "batch_009", "batch_002", "batch_008"]),
        FilterCase(text: "lane=realtime", expected: ["batch_010"]),
        FilterCase(text: "status=progress", expected: ["batch_010", "batch_001", "batch_005"]),
        FilterCase(text: "bulk model=embedding", expected: ["batch_007"]),
        FilterCase(text: "ジョブ", expected: ["batch_005"]),
        FilterCase(text: "zzz", expected: []),
        FilterCase(text: "", expected: ["batch_004", "batch_011", "batch_010", "batch_001", "batch_006", "batch_003", "batch_007", "batch_005", "batch_009", "batch_002", "batch_008"]),
    ]

    @Test(arguments: filters)
    func filter(_ c: FilterCase) {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("/"))] + Fixtures.typing(c.text))
        #expect(visibleIDs(s) == c.expected)
        // Typed incrementally (narrowing) must equal the filter applied in one go.
        var direct = JobList()
        _ = direct.load(Fixtures.jobs, now: Fixtures.now)
        direct.setFilter(JobFilter(c.text))
        #expect(direct.visible == s.jobs.visible)
    }

    @Test func filterNoMatchesThenEscapeRestores() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("/"))] + Fixtures.typing("zzz"))
        #expect(s.jobs.visible.isEmpty)
        #expect(render(s, palette: BuiltinThemes.default.palette(depth: .ansi256)).text.contains("no matches for 'zzz'"))
        Fixtures.run(&s, [.key(.escape)])
        #expect(s.input == .normal)
        #expect(s.jobs.visible.count == Fixtures.jobs.count)
    }

    @Test func filterKeptAfterEnterAndClearedByEscape() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("/"))] + Fixtures.typing("bulk") + [.key(.enter)])
        #expect(s.input == .normal && s.jobs.filter.text == "bulk")
        Fixtures.run(&s, [.key(.escape)])
        #expect(s.jobs.filter.isEmpty)
    }

    struct CommandCase: CustomStringConvertible, Sendable {
        var line: String
        var pane: Pane
        var filter: String
        var sort: JobSort
        var description: String { line }
    }

    static let commands: [CommandCase] = [
        CommandCase(line: "jobs lane=batch", pane: .jobs, filter: "lane=batch", sort: JobSort()),
        CommandCase(line: "spend", pane: .spend, filter: "", sort: JobSort()),
        CommandCase(line: "queue", pane: .queue, filter: "", sort: JobSort()),
        CommandCase(line: "decisions", pane: .decisions, filter: "", sort: JobSort()),
        CommandCase(line: "sort eta reverse", pane: .jobs, filter: "", sort: JobSort(column: .eta, reversed: true)),
        CommandCase(line: "sort bogus", pane: .jobs, filter: "", sort: JobSort()),
    ]

    @Test(arguments: commands)
    func commandLine(_ c: CommandCase) {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char(":"))] + Fixtures.typing(c.line) + [.key(.enter)])
        #expect(s.pane == c.pane)
        #expect(s.jobs.filter.text == c.filter)
        #expect(s.jobs.sort == c.sort)
        #expect(s.input == .normal)
    }

    struct PaneCase: CustomStringConvertible, Sendable {
        var keys: [Key]
        var pane: Pane
        var description: String { keys.map(\.description).joined(separator: " ") }
    }

    static let panes: [PaneCase] = [
        PaneCase(keys: [.char("2")], pane: .queue),
        PaneCase(keys: [.char("3")], pane: .spend),
        PaneCase(keys: [.char("4")], pane: .decisions),
        PaneCase(keys: [.tab], pane: .queue),
        PaneCase(keys: [.tab, .tab, .tab, .tab], pane: .jobs),
        PaneCase(keys: [.backTab], pane: .decisions),
        PaneCase(keys: [.char("4"), .char("1")], pane: .jobs),
        PaneCase(keys: [.enter, .char("3")], pane: .spend),
    ]

    @Test(arguments: panes)
    func paneSwitching(_ c: PaneCase) {
        var s = Fixtures.loaded()
        Fixtures.run(&s, c.keys.map { .key($0) })
        #expect(s.pane == c.pane)
        #expect(s.detail == nil)
    }

    @Test func pauseHoldsJobsUntilResumed() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("p")), .jobsLoaded(Array(Fixtures.jobs.prefix(2)))])
        #expect(s.jobs.count == Fixtures.jobs.count)
        #expect(s.paused)
        Fixtures.run(&s, [.key(.char("p"))])
        #expect(s.jobs.count == 2)
        #expect(!s.paused)
    }

    @Test func changesUpdateAddAndKeepTheRest() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.down), .key(.down)])
        let chosen = try! #require(s.selectedJobID)
        let inFlightBefore = s.jobs.inFlight
        var finished = try! #require(s.jobs.row(id: "batch_001"))
        finished.status = .completed
        finished.counts.completed = finished.counts.total
        let unchanged = try! #require(s.jobs.row(id: "batch_002"))
        let added = Fixtures.job("batch_012", .validating, age: 1)
        Fixtures.run(&s, [.jobsChanged([finished, unchanged, added])])
        #expect(s.jobs.count == Fixtures.jobs.count + 1, "nothing dropped, one added")
        #expect(s.jobs.row(id: "batch_001")?.status == .completed)
        #expect(s.changedIDs == ["batch_001", "batch_012"], "a row sent again unchanged is not highlighted")
        #expect(s.jobs.inFlight == inFlightBefore, "one finished, one started")
        #expect(s.selectedJobID == chosen && s.jobs.visibleRow(s.cursor).id == chosen)
        #expect(visibleIDs(s).first == "batch_012", "the newest job sorts first by age")
    }

    @Test func changesRefilterAnActiveFilter() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("/"))] + "bulk".map { .key(.char($0)) } + [.key(.enter)])
        let before = visibleIDs(s)
        #expect(before.sorted() == ["batch_007", "batch_008"])
        var moved = try! #require(s.jobs.row(id: "batch_007"))
        moved.workload = "nightly-eval"
        Fixtures.run(&s, [.jobsChanged([moved, Fixtures.job("batch_013", .inProgress, workload: "bulk-embed", age: 5)])])
        #expect(visibleIDs(s) == ["batch_013", "batch_008"], "the search fields follow the changed rows")
    }

    @Test func pauseHoldsChangesUntilResumed() {
        var s = Fixtures.loaded()
        var first = try! #require(s.jobs.row(id: "batch_001"))
        first.counts.completed += 1
        var second = first
        second.counts.completed += 1
        Fixtures.run(&s, [.key(.char("p")), .jobsChanged([first]), .jobsChanged([second, Fixtures.job("batch_012", .validating, age: 1)])])
        #expect(s.jobs.count == Fixtures.jobs.count && s.jobs.row(id: "batch_001")?.counts.completed == 420)
        Fixtures.run(&s, [.key(.char("p"))])
        #expect(s.jobs.row(id: "batch_001")?.counts.completed == 422, "the newest row of each id wins")
        #expect(s.jobs.count == Fixtures.jobs.count + 1)

        #expect(s.changedIDs == ["batch_001", "batch_012"], "everything that moved while paused is highlighted")

        // A whole list that arrives while paused supersedes changes held before it.
        Fixtures.run(&s, [.key(.char("p")), .jobsChanged([Fixtures.job("batch_014", .validating, age: 1)]),
                          .jobsLoaded(Array(Fixtures.jobs.prefix(3))), .key(.char("p"))])
        #expect(s.jobs.count == 3 && s.jobs.row(id: "batch_014") == nil)

        // A whole list and then changes, both held: on resume both are applied and both highlighted.
        var moved = Fixtures.jobs[1]
        moved.counts.completed -= 1
        Fixtures.run(&s, [.key(.char("p")), .jobsLoaded([Fixtures.jobs[0], moved, Fixtures.jobs[2]]),
                          .jobsChanged([Fixtures.job("batch_015", .validating, age: 1)]), .key(.char("p"))])
        #expect(s.jobs.count == 4)
        #expect(s.changedIDs == [moved.id, "batch_015"])
    }

    @Test func paneScrollStopsAtTheEndOfTheContent() {
        var s = Fixtures.loaded(width: 80, height: 24)
        Fixtures.run(&s, [.key(.char("3"))] + Array(repeating: .key(.char("j")), count: 200))
        let limit = ScrollLimit.maxScroll(s)
        #expect(limit > 0, "the spend pane is taller than 24 rows")
        #expect(s.paneScroll == limit)
        Fixtures.run(&s, [.key(.char("k"))])
        #expect(s.paneScroll == limit - 1, "one step back shows at once")
        // A taller screen fits more: the next step starts from the new, smaller limit.
        Fixtures.run(&s, [.resize(width: 80, height: 60), .key(.char("j"))])
        #expect(s.paneScroll == ScrollLimit.maxScroll(s))
    }

    @Test func detailScrollStopsAtTheEndOfTheContent() {
        var s = Fixtures.loaded(width: 80, height: 24)
        Fixtures.run(&s, [.key(.char("/"))] + Fixtures.typing("batch_001") + [.key(.enter), .key(.enter), .jobDetailLoaded(Fixtures.detail)])
        #expect(s.detail?.detail == Fixtures.detail)
        Fixtures.run(&s, Array(repeating: .key(.char("j")), count: 500))
        let limit = ScrollLimit.maxScroll(s)
        #expect(limit > 0, "the loaded detail is taller than 24 rows")
        #expect(s.detail?.scroll == limit)
        Fixtures.run(&s, [.key(.char("k"))])
        #expect(s.detail?.scroll == max(0, limit - 1))
    }

    @Test func pagingAndResizeKeepCursorVisible() {
        var s = Fixtures.loaded(width: 80, height: 15)
        let viewport = s.listViewportHeight
        Fixtures.run(&s, [.key(.pageDown), .key(.pageDown)])
        #expect(s.cursor == Fixtures.jobs.count - 1)
        #expect(s.cursor >= s.scrollTop && s.cursor < s.scrollTop + viewport)
        Fixtures.run(&s, [.resize(width: 60, height: 15), .key(.char("g"))])
        #expect(s.cursor == 0 && s.scrollTop == 0)
        Fixtures.run(&s, [.key(.char("G")), .resize(width: 160, height: 48)])
        #expect(s.scrollTop == 0, "a taller screen shows the whole list")
    }

    @Test func detailIgnoresAnotherJobsData() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.enter), .jobDetailLoaded(Fixtures.detail)])
        #expect(s.detail?.jobID == "batch_004")
        #expect(s.detail?.detail == nil)
        Fixtures.run(&s, [.key(.escape)])
        #expect(s.detail == nil)
    }

    @Test func helpOpensAndCloses() {
        var s = Fixtures.loaded()
        Fixtures.run(&s, [.key(.char("?")), .key(.char("j"))])
        #expect(s.helpScroll == 1)
        let effects = Fixtures.run(&s, [.key(.char("q"))])
        #expect(s.helpScroll == nil)
        #expect(effects.isEmpty, "q closes help, it does not quit")
    }

    @Test func duplicateIDsKeepTheFirstRow() {
        var list = JobList()
        var dup = Fixtures.jobs[1]
        dup = JobRow(id: Fixtures.jobs[0].id, status: .failed, createdAt: Fixtures.now)
        _ = list.load([Fixtures.jobs[0], dup, Fixtures.jobs[2]], now: Fixtures.now)
        #expect(list.count == 2)
        #expect(list.row(id: Fixtures.jobs[0].id)?.status == .inProgress)
        #expect(list.row(id: Fixtures.jobs[2].id) != nil)
    }

    struct ClickCase: CustomStringConvertible, Sendable {
        var x: Int
        var y: Int
        var pane: Pane
        var selected: String?
        var description: String { "\(x),\(y)" }
    }

    static let clicks: [ClickCase] = [
        ClickCase(x: 10, y: 6, pane: .jobs, selected: "batch_010"),  // third list row
        ClickCase(x: 10, y: 4, pane: .jobs, selected: "batch_004"),
        ClickCase(x: 10, y: 3, pane: .jobs, selected: "batch_004"),  // column titles: nothing
        ClickCase(x: 10, y: 22, pane: .jobs, selected: "batch_004"),  // below the last job
        ClickCase(x: 16, y: 2, pane: .queue, selected: "batch_004"),
        ClickCase(x: 45, y: 2, pane: .decisions, selected: "batch_004"),
    ]

    @Test(arguments: clicks)
    func mouseClicks(_ c: ClickCase) {
        var s = Fixtures.loaded()
        _ = reduce(&s, .key(.click(x: c.x, y: c.y)))
        #expect(s.pane == c.pane)
        #expect(s.selectedJobID == c.selected)
    }
}
