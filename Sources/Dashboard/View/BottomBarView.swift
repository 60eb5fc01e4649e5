/// The last line: the filter or command being typed, else hints generated from the live key map.
enum BottomBarView {
    static func draw(_ c: inout Canvas, _ state: AppState, keyMap: KeyMap) {
        let p = c.palette
        let y = c.height - 1
        c.fill(x: 0, y: y, width: c.width, height: 1, style: p[.fg])
        switch state.input {
        case .filter:
            let used = c.text("/", x: 0, y: y, style: p[.accent])
            let t = state.jobs.filter.text
            c.field(t + "_", x: used, y: y, width: c.width - used - 30, style: p[.input])
            c.text("Enter keep · Esc clear · ! invert", x: c.width - 30, y: y, width: 30, style: p[.muted])
            return
        case .command(let t):
            let used = c.text(":", x: 0, y: y, style: p[.accent])
            c.field(t + "_", x: used, y: y, width: c.width - used, style: p[.input])
            return
        case .normal: break
        }
        var x = 1
        for (key, label) in hints(state, keyMap: keyMap) {
            let need = DisplayWidth.of(key) + 1 + DisplayWidth.of(label) + 2
            if x + need > c.width { break }
            x += c.text(key, x: x, y: y, style: p[.hintKey])
            x += c.text(" " + label + "  ", x: x, y: y, style: p[.hintText])
        }
    }

    /// The hints that apply now: key-map bindings marked for hints, in this context, without
    /// writes under read-only or writes the selection does not allow.
    static func hints(_ state: AppState, keyMap: KeyMap) -> [(String, String)] {
        switch state.keyContext {
        case .help: return [("Esc", "close help"), ("↑↓", "scroll")]
        case .dialog: return [("Tab", "next field"), ("←→", "No/Yes"), ("Enter", "choose"), ("Esc", "cancel")]
        default: break
        }
        let context = state.keyContext
        let live = keyMap.bindings(in: context, readOnly: state.context.readOnly).filter { b in
            guard b.showsInHints else { return false }
            if b.isWrite, !writeApplies(b.command, state) { return false }
            if b.command == .back, context != .detail, state.jobs.filter.isEmpty, state.marked.isEmpty { return false }
            return true
        }
        // What a newcomer needs first survives a narrow screen: help, then the pane's own actions.
        return live.sorted { rank($0.command) < rank($1.command) }.map { ($0.keys[0].description, $0.hint) }
    }

    static let hintOrder: [Command] = [
        .help, .open, .back, .filter, .cancel, .resubmit, .reclassify, .approve, .reject, .mark, .sortNext,
        .pollNow, .pause, .commandLine, .quit,
    ]

    static func rank(_ c: Command) -> Int { hintOrder.firstIndex(of: c) ?? hintOrder.count
    }

    static func writeApplies(_ command: Command, _ state: AppState) -> Bool {
        let job = Reducer.actionJob(state)
        switch command {
        case .cancel: return !state.marked.isEmpty || job.map { ActionRules.cancelBlocked($0) == nil } ?? false
        case .resubmit: return job.map { ActionRules.resubmitBlocked($0, failedOnly: false) == nil } ?? false
        case .resubmitFailed: return job.map { ActionRules.resubmitBlocked($0, failedOnly: true) == nil } ?? false
        case .reclassify: return job != nil
        case .approve, .reject: return state.selectedDecision.map { ActionRules.decideBlocked($0) == nil } ?? false
        default: return true
        }
    }

    /// The toast, right-aligned just above the bottom line.
    static func drawToast(_ c: inout Canvas, _ toast: Toast) {
        let token: ThemeToken = switch toast.kind {
        case .info: .toastInfo
        case .ok: .toastOK
        case .error: .toastError
        }
        let text = " " + Format.fit(toast.text, width: c.width - 4, ellipsis: c.glyphs.ellipsis) + " "
        let w = DisplayWidth.of(text)
        c.text(text, x: c.width - w - 1, y: c.height - 2, style: c.palette[token])
    }
}
