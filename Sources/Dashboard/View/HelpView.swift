/// The `?` overlay, generated from the live key map so it can never disagree with the keys.
enum HelpView {
    static func lines(_ state: AppState, keyMap: KeyMap) -> [(String, String, Bool)] {
        var out: [(String, String, Bool)] = []
        let groups: [(String, (KeyBinding) -> Bool)] = [
            ("Everywhere", { $0.contexts.isEmpty }),
            ("Lists (jobs, decisions, detail)", { $0.contexts == KeyMap.lists }),
            ("Jobs", { $0.contexts.contains(.jobs) && $0.contexts != KeyMap.lists }),
            ("Decisions", { $0.contexts == [.decisions] }),
        ]
        for (title, include) in groups {
            let bs = keyMap.bindings.filter(include)
            guard !bs.isEmpty else { continue }
            out.append((title, "", true))
            for b in bs {
                var summary = b.summary
                if b.isWrite && state.context.readOnly { summary += " (disabled: --readonly)" }
                out.append((b.keyLabel, summary, false))
            }
        }
        out.append(("Dialogs", "", true))
        out.append(contentsOf: KeyMap.dialogHelp.map { ($0.0, $0.1, false) })
        out.append(("Ctrl-C", "quit from anywhere and restore the terminal", false))
        return out
    }

    static func draw(_ c: inout Canvas, _ state: AppState, keyMap: KeyMap, scroll: Int) {
        let p = c.palette
        let w = min(c.width - 4, 100), h = c.height - 2
        let x = (c.width - w) / 2, y = 1
        c.box(x: x, y: y, width: w, height: h, style: p[.dialog], title: "Help (Esc closes, ↑↓ scroll)", titleStyle: p[.dialog].adding(.bold))
        let all = lines(state, keyMap: keyMap)
        let rows = h - 2
        let start = max(0, min(scroll, all.count - rows))
        for (i, (keys, summary, heading)) in all.dropFirst(start).prefix(rows).enumerated() {
            let ly = y + 1 + i
            if heading {
                c.text(keys, x: x + 2, y: ly, width: w - 4, style: p[.title].with(bg: p[.dialog].bg))
            } else {
                c.field(keys, x: x + 4, y: ly, width: 16, style: p[.hintKey].with(bg: p[.dialog].bg))
                c.text(summary, x: x + 21, y: ly, width: w - 23, style: p[.dialog])
            }
        }
    }
}
