import BatchKit

extension Reducer {
    /// The job an action applies to: the open detail's job, else the selection.
    static func actionJob(_ state: AppState) -> JobRow? {
        if let d = state.detail { return state.jobs.row(id: d.jobID) ?? d.detail?.row }
        return state.selectedJob
    }

    static func describe(_ row: JobRow) -> String {
        var s = row.id
        if let w = row.workload { s += " (\(w))" }
        return s
    }

    static func openCancel(_ state: inout AppState) {
        var targets: [JobRow]
        if state.detail == nil, !state.marked.isEmpty {
            targets = state.marked.compactMap { state.jobs.row(id: $0) }.sorted { $0.id < $1.id }
        } else if let r = actionJob(state) {
            targets = [r]
        } else {
            toast(&state, "can't cancel: no job selected", kind: .error)
            return
        }
        var skipped: [String] = []
        targets = targets.filter { r in
            if let why = ActionRules.cancelBlocked(r) { skipped.append("\(r.id): \(why)"); return false }
            return true
        }
        if targets.isEmpty {
            let why = skipped.count == 1 ? String(skipped[0].split(separator: ":", maxSplits: 1)[1].dropFirst()) : "none of the \(skipped.count) marked jobs can be cancelled"
            toast(&state, "can't cancel: \(why)", kind: .error)
            return
        }
        let n = targets.count
        var lines = targets.prefix(5).map { "  " + describe($0) + "  " + $0.displayStatus.rawValue }
        if n > 5 { lines.append("  … and \(n - 5) more") }
        if !skipped.isEmpty {
            lines.append("skipping \(skipped.count): " + skipped.prefix(2).joined(separator: "; ") + (skipped.count > 2 ? "; …" : ""))
        }
        let pending = targets.reduce(0) { $0 + $1.counts.pending }
        let spent = targets.compactMap(\.costSoFar).reduce(MicroDollars.zero, +)
        lines.append("cost impact: \(pending) unfinished requests will not run; \(spent.formatted) already spent stays billed")
        let plural = n == 1 ? "job" : "jobs"
        state.dialog = Dialog(
            title: "Cancel \(n) \(plural)?", lines: lines, pending: .cancel(jobIDs: targets.map(\.id)),
            typedConfirmation: n > Dialog.typedThreshold ? String(n) : nil)
    }

    static func openResubmit(_ state: inout AppState, failedOnly: Bool) {
        guard let row = actionJob(state) else {
            toast(&state, "can't resubmit: no job selected", kind: .error)
            return
        }
        if let why = ActionRules.resubmitBlocked(row, failedOnly: failedOnly) {
            toast(&state, "can't resubmit: \(why)", kind: .error)
            return
        }
        let count = ActionPreconditions.resubmitRequestCount(counts: row.counts, failedOnly: failedOnly)
        let requests = count.map { "\($0) requests" } ?? "every request of its input file (the provider counted none)"
        var lines = ["  " + describe(row) + "  " + row.status.rawValue, "  \(requests), same lane (\(row.lane))"]
        if !failedOnly, row.counts.total > 0, row.counts.completed >= row.counts.total {
            lines.append("  every request already succeeded: this runs all of them again")
        }
        if let count, let cost = row.costSoFar, row.counts.completed + row.counts.failed > 0 {
            let done = Int64(row.counts.completed + row.counts.failed)
            let estimate = MicroDollars(cost.value * Int64(count) / done)
            lines.append("cost impact: about \(estimate.formatted) at this job's rate")
        } else {
            lines.append("cost impact: unknown (no priced usage on this job)")
        }
        state.dialog = Dialog(
            title: failedOnly ? "Resubmit failed requests of 1 job?" : "Resubmit 1 job?", lines: lines,
            pending: .resubmit(jobID: row.id, failedOnly: failedOnly))
    }

    static func openReclassify(_ state: inout AppState) {
        guard let row = actionJob(state) else {
            toast(&state, "can't reclassify: no job selected", kind: .error)
            return
        }
        let subject: DecisionSubject = row.workload.map { .workload($0) } ?? .job(row.id)
        let choices = ReclassifyTarget.choices
        let current = choices.firstIndex(of: .lane(row.lane == .batch ? .realtime : .batch)) ?? 0
        let lines = [
            "  \(subject), now in lane \(row.lane)",
            "raises a routing decision; nothing moves until an engineer approves it",
            "cost impact: real-time costs about twice the batch price per request",
        ]
        state.dialog = Dialog(
            title: "Reclassify \(subject)?", lines: lines, pending: .reclassify(subject: subject), choices: choices,
            choiceIndex: current, textLabel: "reason", textRequired: true)
    }

    static func openDecide(_ state: inout AppState, approve: Bool) {
        let verb = approve ? "approve" : "reject"
        guard let d = state.selectedDecision else {
            toast(&state, "can't \(verb): no decision selected", kind: .error)
            return
        }
        if let why = ActionRules.decideBlocked(d) {
            toast(&state, "can't \(verb): \(why)", kind: .error)
            return
        }
        let move = "\(d.subject): \(d.fromLane?.rawValue ?? "?") → \(d.toLane)" + (d.toClass.map { " (class \($0))" } ?? "")
        let impact = d.costImpactPerDay.map { ($0.value > 0 ? "+" : "") + $0.formatted + "/day" } ?? "unknown"
        state.dialog = Dialog(
            title: approve ? "Approve decision \(d.id)?" : "Reject decision \(d.id)?",
            lines: ["  " + move, "  asked by \(d.requestedBy): \(d.reason)", "cost impact: \(impact)"],
            pending: approve ? .approve(decisionID: d.id) : .reject(decisionID: d.id),
            textLabel: "comment", textRequired: !approve)
    }

    /// Keys inside a dialog: fields take text, Tab moves, only Yes (or `y`) confirms.
    static func dialogKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var dialog = state.dialog else { return [] }
        defer { if state.dialog != nil { state.dialog = dialog } }
        let typing = dialog.focus == .text || dialog.focus == .typed
        switch key {
        case .escape:
            state.dialog = nil
            return []
        case .tab: dialog.cycleFocus()
        case .backTab: dialog.cycleFocus(backwards: true)
        case .left, .right:
            if dialog.focus == .no || dialog.focus == .yes { dialog.focus = dialog.focus == .no ? .yes : .no }
        case .up, .down:
            if !dialog.choices.isEmpty {
                let n = dialog.choices.count
                dialog.choiceIndex = (dialog.choiceIndex + (key == .up ? n - 1 : 1)) % n
            }
        case .backspace:
            if dialog.focus == .text, !dialog.text.isEmpty { dialog.text.removeLast() }
            if dialog.focus == .typed, !dialog.typed.isEmpty { dialog.typed.removeLast() }
        case .char(let c) where typing:
            if dialog.focus == .text, dialog.text.count < 200 { dialog.text.append(c) }
            if dialog.focus == .typed, dialog.typed.count < 20 { dialog.typed.append(c) }
        case .char("y"), .char("Y"):
            return confirm(&state, &dialog)
        case .char("n"), .char("N"):
            state.dialog = nil
            return []
        case .enter:
            switch dialog.focus {
            case .yes: return confirm(&state, &dialog)
            case .no:
                state.dialog = nil
                return []
            case .choice, .text, .typed: dialog.cycleFocus()
            }
        default: break
        }
        return []
    }

    private static func confirm(_ state: inout AppState, _ dialog: inout Dialog) -> [Effect] {
        switch dialog.effect() {
        case .failure(let why):
            dialog.error = why.reason
            if why.reason.hasPrefix("type") { dialog.focus = .typed } else if dialog.textLabel != nil { dialog.focus = .text }
            return []
        case .success(let effect):
            state.dialog = nil
            if state.context.readOnly {
                toast(&state, "read-only: nothing was changed (started with --readonly)", kind: .error)
                return []
            }
            toast(&state, progressMessage(effect), kind: .info)
            return [effect]
        }
    }

    static func progressMessage(_ effect: Effect) -> String {
        switch effect {
        case .cancel(let ids): return "cancelling \(ids.count) job\(ids.count == 1 ? "" : "s")…"
        case .resubmit(let id, let failedOnly): return "resubmitting \(id)\(failedOnly ? " (failed only)" : "")…"
        case .reclassify(let target, let to, _): return "raising a decision: \(target) → \(to)…"
        case .approve(let id, _): return "approving \(id)…"
        case .reject(let id, _): return "rejecting \(id)…"
        default: return "working…"
        }
    }
}
