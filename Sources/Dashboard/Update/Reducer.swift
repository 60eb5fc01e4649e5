import BatchKit

/// Applies an action to the state and returns the effects the runtime must perform.
///
/// Rules: write effects come only out of a confirmed dialog, why: every destructive key first
/// produces a pending action the operator can read and refuse; and under `--readonly` no write
/// effect is ever returned, whatever the state, why: the flag is a promise to the operator.
public func reduce(_ state: inout AppState, _ action: Action, keyMap: KeyMap = .standard) -> [Effect] {
    var effects: [Effect]
    switch action {
    case .key(let key):
        effects = Reducer.key(&state, key, keyMap: keyMap)
    case .resize(let w, let h):
        state.width = max(0, w); state.height = max(0, h)
        Reducer.clampJobs(&state)
        effects = []
    case .tick(let now):
        state.now = now
        if let t = state.toast, t.expiresAt <= now { state.toast = nil }
        effects = []
    case .jobsLoaded(let rows):
        if state.paused { state.heldJobs = rows; state.heldChanges = [:]; effects = [] } else {
            Reducer.applyJobs(&state, rows)
            effects = []
        }
    case .jobsChanged(let rows):
        if state.paused {
            for r in rows { state.heldChanges[r.id] = r }
        } else {
            Reducer.applyChanges(&state, rows)
        }
        effects = []
    case .freshness(let f):
        state.freshness = f
        effects = []
    case .queueLoaded(let q):
        state.queue = q
        effects = []
    case .spendLoaded(let s):
        state.spend = s
        effects = []
    case .decisionsLoaded(let d):
        state.decisions = d
        Reducer.clampDecisions(&state)
        effects = []
    case .jobDetailLoaded(let d):
        if state.detail?.jobID == d.row.id { state.detail?.detail = d }
        effects = []
    case .operationFinished(let result):
        Reducer.toast(&state, result.message, kind: result.succeeded ? .ok : .error)
        if result.succeeded, case .cancel(let ids) = result.effect { state.marked.subtract(ids) }
        effects = []
    case .pausedChanged(let paused):
        Reducer.setPaused(&state, paused)
        effects = []
    }
    if state.context.readOnly {
        // Defence in depth: read-only never lets a write out, even from a dialog built before.
        effects.removeAll { $0.isWrite }
    }
    return effects
}

/// The reducer's helpers, grouped by concern in extensions.
enum Reducer {
    static let toastSeconds: Int64 = 4

    static func toast(_ state: inout AppState, _ text: String, kind: Toast.Kind) {
        state.toast = Toast(text, kind: kind, expiresAt: state.now + toastSeconds)
    }

    static func setPaused(_ state: inout AppState, _ paused: Bool) {
        state.paused = paused
        guard !paused else { return }
        // Everything that moved while paused is highlighted: the held list's changes and the held deltas'.
        var highlighted = Set<String>()
        if let held = state.heldJobs {
            state.heldJobs = nil
            applyJobs(&state, held)
            highlighted = state.changedIDs
        }
        if !state.heldChanges.isEmpty {
            let changes = Array(state.heldChanges.values)
            state.heldChanges = [:]
            applyChanges(&state, changes)
            highlighted.formUnion(state.changedIDs)
        }
        if !highlighted.isEmpty { state.changedIDs = highlighted }
    }

    static func applyJobs(_ state: inout AppState, _ rows: [JobRow]) {
        let changed = state.jobs.load(rows, now: state.now)
        state.changedIDs = state.jobsLoadedOnce ? changed : []
        state.jobsLoadedOnce = true
        state.marked = state.marked.filter { state.jobs.row(id: $0) != nil }
        reselect(&state)
    }

    static func applyChanges(_ state: inout AppState, _ rows: [JobRow]) {
        state.changedIDs = state.jobs.apply(rows, now: state.now)
        state.jobsLoadedOnce = true
        reselect(&state)
    }

    /// Puts the cursor back on the selected job after the list changed; if that job is gone or
    /// filtered out, selects whatever now sits at the old position.
    static func reselect(_ state: inout AppState) {
        if let id = state.selectedJobID, let i = state.jobs.visibleIndex(of: id) {
            state.cursor = i
        } else {
            let n = state.jobs.visible.count
            state.cursor = n == 0 ? 0 : min(state.cursor, n - 1)
            state.selectedJobID = n == 0 ? state.selectedJobID : state.jobs.visibleRow(state.cursor).id
        }
        clampJobs(&state)
    }

    /// Keeps cursor and scroll inside the list and the viewport.
    static func clampJobs(_ state: inout AppState) {
        let n = state.jobs.visible.count
        let viewport = state.listViewportHeight
        state.cursor = n == 0 ? 0 : max(0, min(state.cursor, n - 1))
        if state.cursor < state.scrollTop { state.scrollTop = state.cursor }
        if state.cursor >= state.scrollTop + viewport { state.scrollTop = state.cursor - viewport + 1 }
        state.scrollTop = max(0, min(state.scrollTop, max(0, n - viewport)))
    }

    static func moveJobs(_ state: inout AppState, by delta: Int) {
        let n = state.jobs.visible.count
        guard n > 0 else { return }
        state.cursor = max(0, min(n - 1, state.cursor + delta))
        state.selectedJobID = state.jobs.visibleRow(state.cursor).id
        clampJobs(&state)
    }

    static func clampDecisions(_ state: inout AppState) {
        let ordered = state.orderedDecisions
        if let id = state.selectedDecisionID, let i = ordered.firstIndex(where: { $0.id == id }) {
            state.decisionCursor = i
        } else {
            state.decisionCursor = ordered.isEmpty ? 0 : min(state.decisionCursor, ordered.count - 1)
            state.selectedDecisionID = ordered.isEmpty ? nil : ordered[state.decisionCursor].id
        }
    }

    static func moveDecisions(_ state: inout AppState, by delta: Int) {
        let ordered = state.orderedDecisions
        guard !ordered.isEmpty else { return }
        state.decisionCursor = max(0, min(ordered.count - 1, state.decisionCursor + delta))
        state.selectedDecisionID = ordered[state.decisionCursor].id
    }
}
