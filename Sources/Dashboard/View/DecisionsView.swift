import BatchKit

/// The Decisions pane: pending routing decisions first, then history; the selected one in full below.
enum DecisionsView {
    static func draw(_ c: inout Canvas, _ state: AppState, in r: Rect) {
        let p = c.palette
        let ordered = state.orderedDecisions
        // Columns that fit: asked-by and age go first on narrow screens; the reason takes what is left.
        let wide = r.width >= 110
        let columns: [(String, Int, Bool)] = [("ID", 10, false), ("SUBJECT", wide ? 26 : 22, false), ("MOVE", wide ? 26 : 20, false),
                                              ("IMPACT/DAY", 10, true)] + (wide ? [("ASKED BY", 12, false), ("AGE", 6, true)] : [])
        var hx = 3
        for (title, w, right) in columns {
            c.field(title, x: hx, y: r.y, width: w, style: p[.title], alignRight: right)
            hx += w + 1
        }
        if hx < c.width - 8 { c.text("WHY", x: hx, y: r.y, style: p[.title]) }
        if ordered.isEmpty {
            c.text("no routing decisions: reclassify a job (m) or wait for the advisor", x: 2, y: r.y + 2, width: r.width - 4, style: p[.muted])
            return
        }
        let listHeight = max(1, r.height - 5)
        let top = max(0, min(state.decisionCursor - listHeight + 1, ordered.count - listHeight))
        for (i, d) in ordered.dropFirst(max(0, top)).prefix(listHeight).enumerated() {
            let y = r.y + 1 + i
            let selected = d.id == state.selectedDecisionID
            let base = selected ? p[.selection] : p[.fg]
            c.fill(x: 0, y: y, width: c.width, height: 1, style: base)
            let (glyph, token): (Character, ThemeToken) = switch d.state {
            case .pending: (c.glyphs.mark, .warn)
            case .approved: (c.glyphs.status("completed"), .ok)
            case .rejected: (c.glyphs.status("failed"), .danger)
            }
            c.text(String(glyph), x: 1, y: y, style: p.fgOnly(token, over: base))
            var x = 3
            func col(_ s: String, _ w: Int, _ style: CellStyle? = nil, right: Bool = false) {
                c.field(s, x: x, y: y, width: w, style: style ?? base, alignRight: right)
                x += w + 1
            }
            let impact = d.costImpactPerDay.map { ($0.value > 0 ? "+" : "") + $0.formatted } ?? "?"
            let values: [String] = [
                d.id, d.subject.description,
                "\(d.fromLane?.rawValue ?? "?") \(c.glyphs.arrowRight) \(d.toLane)" + (d.toClass.map { " (\($0))" } ?? ""),
                impact, d.requestedBy, Format.duration(state.now - d.requestedAt),
            ]
            for (i, (_, w, right)) in columns.enumerated() {
                let style = i == 3 ? p.fgOnly((d.costImpactPerDay?.value ?? 0) > 0 ? .warn : .ok, over: base) : base
                col(values[i], w, style, right: right)
            }
            if x < c.width - 4 { c.field(d.reason, x: x, y: y, width: c.width - x - 1, style: p.fgOnly(.muted, over: base)) }
        }
        guard let sel = state.selectedDecision else { return }
        let dy = r.y + r.height - 4
        c.fill(x: 0, y: dy, width: c.width, height: 1, style: p[.border])
        c.text(String(repeating: c.glyphs.horizontal, count: c.width), x: 0, y: dy, style: p[.border])
        c.text("\(sel.id) \(sel.state.rawValue): \(sel.subject)", x: 1, y: dy + 1, width: r.width - 2, style: p[.accent])
        c.text("why: " + sel.reason, x: 1, y: dy + 2, width: r.width - 2, style: p[.fg])
        if let by = sel.decidedBy {
            c.text("\(sel.state.rawValue) by \(by): \(sel.comment ?? "")", x: 1, y: dy + 3, width: r.width - 2, style: p[.muted])
        } else {
            c.text("pending: a approves, x rejects (with a comment)", x: 1, y: dy + 3, width: r.width - 2, style: p[.muted])
        }
    }
}
