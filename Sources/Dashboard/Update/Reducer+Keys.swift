import BatchKit

extension Reducer {
    /// Routes a key: Ctrl-C first, then help, dialog, input line, and finally the key map.
    static func key(_ state: inout AppState, _ key: Key, keyMap: KeyMap) -> [Effect] {
        if key == .ctrl("c") {
            state.quitting = true
            return [.quit]
        }
        if state.helpScroll != nil { return helpKey(&state, key) }
        if state.dialog != nil { return dialogKey(&state, key) }
        switch state.input {
        case .filter: return filterKey(&state, key)
        case .command(let text): return commandKey(&state, key, text: text, keyMap: keyMap)
        case .normal: break
        }
        if case .click(let x, let y) = key { return click(&state, x: x, y: y) }
        guard let binding = keyMap.binding(for: key, in: state.keyContext) else { return [] }
        if binding.isWrite && state.context.readOnly {
            toast(&state, "read-only: \(binding.hint) is disabled (started with --readonly)", kind: .error)
            return []
        }
        return run(binding.command, &state)
    }

    /// Performs a key-map command.
    static func run(_ command: Command, _ state: inout AppState) -> [Effect] {
        let context = state.keyContext
        switch command {
        case .quit:
            if state.detail != nil { state.detail = nil; return [] }
            state.quitting = true
            return [.quit]
        case .help:
            state.helpScroll = 0
        case .nextPane: switchPane(&state, state.pane.next)
        case .previousPane: switchPane(&state, state.pane.previous)
        case .paneJobs: switchPane(&state, .jobs)
        case .paneQueue: switchPane(&state, .queue)
        case .paneSpend: switchPane(&state, .spend)
        case .paneDecisions: switchPane(&state, .decisions)
        case .up: move(&state, context, by: -1)
        case .down: move(&state, context, by: 1)
        case .pageUp: move(&state, context, by: -max(1, state.listViewportHeight - 1))
        case .pageDown: move(&state, context, by: max(1, state.listViewportHeight - 1))
        case .top: move(&state, context, by: -Int(Int32.max))
        case .bottom: move(&state, context, by: Int(Int32.max))
        case .open:
            guard let row = state.selectedJob else {
                toast(&state, "no job selected", kind: .info)
                return []
            }
            state.detail = DetailState(jobID: row.id)
            return [.loadJobDetail(jobID: row.id)]
        case .back:
            if state.detail != nil {
                state.detail = nil
            } else if !state.jobs.filter.isEmpty {
                state.jobs.setFilter(JobFilter(""))
                reselect(&state)
            } else if !state.marked.isEmpty {
                state.marked.removeAll()
            }
        case .filter:
            state.input = .filter
        case .commandLine:
            state.input = .command("")
        case .sortNext:
            state.jobs.setSort(JobSort(column: state.jobs.sort.column.next), now: state.now)
            reselect(&state)
        case .sortReverse:
            var s = state.jobs.sort
            s.reversed.toggle()
            state.jobs.setSort(s, now: state.now)
            reselect(&state)
        case .mark:
            guard let id = state.selectedJobID, state.jobs.row(id: id) != nil else { return [] }
            if state.marked.contains(id) { state.marked.remove(id) } else { state.marked.insert(id) }
            moveJobs(&state, by: 1)
        case .clearMarks:
            state.marked.removeAll()
        case .cancel: openCancel(&state)
        case .resubmit: openResubmit(&state, failedOnly: false)
        case .resubmitFailed: openResubmit(&state, failedOnly: true)
        case .reclassify: openReclassify(&state)
        case .approve: openDecide(&state, approve: true)
        case .reject: openDecide(&state, approve: false)
        case .pollNow:
            toast(&state, "polling now", kind: .info)
            return [.pollNow]
        case .pause:
            let paused = !state.paused
            setPaused(&state, paused)
            toast(&state, paused ? "paused: the view is frozen, p resumes" : "resumed", kind: .info)
            return [.setPaused(paused)]
        }
        return []
    }

    static func switchPane(_ state: inout AppState, _ pane: Pane) {
        state.detail = nil
        state.pane = pane
        state.paneScroll = 0
        if pane != .jobs, state.input == .filter { state.input = .normal }
    }

    static func move(_ state: inout AppState, _ context: KeyContext, by delta: Int) {
        switch context {
        case .jobs: moveJobs(&state, by: delta)
        case .decisions: moveDecisions(&state, by: delta)
        case .detail:
            if var d = state.detail { d.scroll = scrolled(d.scroll, by: delta, limit: ScrollLimit.maxScroll(state)); state.detail = d }
        case .queue, .spend:
            state.paneScroll = scrolled(state.paneScroll, by: delta, limit: ScrollLimit.maxScroll(state))
        case .dialog, .help: break
        }
    }

    /// A scroll offset moved by `delta` within 0...limit; an offset already past the limit (the content
    /// shrank, or the screen grew) starts from the limit, so the first step back shows a change.
    private static func scrolled(_ offset: Int, by delta: Int, limit: Int) -> Int {
        let start = min(offset, limit)
        let moved = start.addingReportingOverflow(delta)
        return moved.overflow ? (delta >= 0 ? limit : 0) : max(0, min(limit, moved.partialValue))
    }

    static func helpKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .escape, .char("q"), .char("?"), .enter: state.helpScroll = nil
        case .down, .char("j"), .wheelDown: state.helpScroll = min(500, (state.helpScroll ?? 0) + 1)
        case .up, .char("k"), .wheelUp: state.helpScroll = max(0, (state.helpScroll ?? 0) - 1)
        case .pageDown: state.helpScroll = min(500, (state.helpScroll ?? 0) + 10)
        case .pageUp: state.helpScroll = max(0, (state.helpScroll ?? 0) - 10)
        default: break
        }
        return []
    }

    /// A click on a list row selects it; a click on the tab bar switches pane.
    static func click(_ state: inout AppState, x: Int, y: Int) -> [Effect] {
        if y == 2 {
            // Tab titles are laid out by TabBarView in pane order with fixed widths.
            if let pane = TabBarView.pane(atColumn: x) { switchPane(&state, pane) }
            return []
        }
        guard state.detail == nil, state.pane == .jobs else { return [] }
        let row = y - (Layout.chromeRows)  // first list row sits below the column titles
        guard row >= 0, row < state.listViewportHeight else { return [] }
        let index = state.scrollTop + row
        guard index < state.jobs.visible.count else { return [] }
        moveJobs(&state, by: index - state.cursor)
        return []
    }
}
