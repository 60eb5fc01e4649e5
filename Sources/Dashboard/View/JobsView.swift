import BatchKit

/// The Jobs pane: a sortable, filterable table drawing only the rows on screen.
enum JobsView {
    /// A table column: title, width range, and priority (lower survives narrower screens).
    struct Column {
        enum ID { case flags, status, id, workload, lane, model, endpoint, progress, age, eta, expiry, cost }
        var id: ID
        var title: String
        var minWidth: Int
        var maxWidth: Int
        var priority: Int
        var right = false
        var sort: SortColumn?
    }

    static let columns: [Column] = [
        Column(id: .flags, title: "", minWidth: 2, maxWidth: 2, priority: 0),
        Column(id: .status, title: "STATUS", minWidth: 13, maxWidth: 13, priority: 0, sort: .status),
        Column(id: .id, title: "ID", minWidth: 12, maxWidth: 30, priority: 1, sort: .id),
        Column(id: .workload, title: "WORKLOAD", minWidth: 10, maxWidth: 22, priority: 2, sort: .workload),
        Column(id: .lane, title: "LANE", minWidth: 8, maxWidth: 8, priority: 3, sort: .lane),
        Column(id: .model, title: "MODEL", minWidth: 12, maxWidth: 20, priority: 5, sort: .model),
        Column(id: .endpoint, title: "ENDPOINT", minWidth: 16, maxWidth: 20, priority: 7),
        Column(id: .progress, title: "PROGRESS", minWidth: 16, maxWidth: 24, priority: 2, sort: .progress),
        Column(id: .age, title: "AGE", minWidth: 6, maxWidth: 6, priority: 4, right: true, sort: .age),
        Column(id: .eta, title: "ETA", minWidth: 6, maxWidth: 6, priority: 4, right: true, sort: .eta),
        Column(id: .expiry, title: "EXPIRES", minWidth: 8, maxWidth: 8, priority: 6, right: true, sort: .expiry),
        Column(id: .cost, title: "COST", minWidth: 9, maxWidth: 10, priority: 3, right: true, sort: .cost),
    ]

    /// The columns that fit `width`, with widths; drops the highest priority numbers first, then
    /// hands spare columns to the flexible ones.
    static func layout(width: Int) -> [(Column, Int)] {
        var chosen = columns
        func need(_ cs: [Column]) -> Int { cs.reduce(0) { $0 + $1.minWidth } + cs.count - 1 }
        while need(chosen) > width, let worst = chosen.map(\.priority).max(), worst > 0 {
            if let i = chosen.lastIndex(where: { $0.priority == worst }) { chosen.remove(at: i) }
        }
        var widths = chosen.map(\.minWidth)
        var spare = width - need(chosen)
        var grew = true
        while spare > 0 && grew {
            grew = false
            for i in chosen.indices where widths[i] < chosen[i].maxWidth && spare > 0 {
                widths[i] += 1; spare -= 1; grew = true
            }
        }
        return Array(zip(chosen, widths))
    }

    static func draw(_ c: inout Canvas, _ state: AppState, in r: Rect) {
        let p = c.palette
        let cols = layout(width: r.width - 1)
        // Column titles, with the sort arrow on the sorted column.
        var x = r.x + 1
        for (col, w) in cols {
            var title = col.title
            if let s = col.sort, s == state.jobs.sort.column {
                title += state.jobs.sort.reversed ? c.glyphs.arrowUp : c.glyphs.arrowDown
            }
            c.field(title, x: x, y: r.y, width: w, style: p[.title], alignRight: col.right)
            x += w + 1
        }
        let top = r.y + 1
        let rows = r.height - 1
        let visible = state.jobs.visible.count
        if visible == 0 {
            let msg: String
            if !state.jobsLoadedOnce {
                msg = "loading jobs…"
            } else if state.jobs.count == 0 {
                msg = "no jobs yet: batches appear here as soon as the sync worker sees them"
            } else {
                msg = "no matches for '\(state.jobs.filter.text)' (Esc clears the filter)"
            }
            c.text(msg, x: r.x + 2, y: top + 1, width: r.width - 4, style: p[.warn])
            return
        }
        for i in 0..<rows {
            let index = state.scrollTop + i
            guard index < visible else { break }
            drawRow(&c, state, state.jobs.visibleRow(index), y: top + i, cols: cols, selected: index == state.cursor)
        }
        // A scroll position hint when the list is longer than the screen.
        if visible > rows {
            let pos = " \(state.cursor + 1)/\(Format.count(visible)) "
            c.text(pos, x: r.x + r.width - DisplayWidth.of(pos) - 1, y: r.y + r.height - 1, style: p[.muted])
        }
    }

    static func drawRow(_ c: inout Canvas, _ state: AppState, _ row: JobRow, y: Int, cols: [(Column, Int)], selected: Bool) {
        let p = c.palette
        let changed = state.changedIDs.contains(row.id)
        let base = selected ? p[.selection] : (changed ? p[.changed] : p[.fg])
        c.fill(x: 0, y: y, width: c.width, height: 1, style: base)
        let now = state.now
        var x = 1
        for (col, w) in cols {
            switch col.id {
            case .flags:
                if state.marked.contains(row.id) { c.put(c.glyphs.mark, x: x, y: y, style: p.fgOnly(.marked, over: base)) }
                if changed { c.put(c.glyphs.changed, x: x + 1, y: y, style: p.fgOnly(.changed, over: base)) }
            case .status:
                let s = row.displayStatus
                let word = s.rawValue.replacingOccurrences(of: "_", with: " ")
                c.field(String(c.glyphs.status(s.rawValue)) + " " + word, x: x, y: y, width: w, style: p.fgOnly(.status(s.rawValue), over: base))
            case .id: c.field(row.id, x: x, y: y, width: w, style: base)
            case .workload: c.field(row.workload ?? "-", x: x, y: y, width: w, style: base)
            case .lane:
                let token: ThemeToken = row.lane == .realtime ? .laneRealtime : .laneBatch
                c.field(row.lane.rawValue, x: x, y: y, width: w, style: p.fgOnly(token, over: base))
            case .model: c.field(row.model ?? "-", x: x, y: y, width: w, style: base)
            case .endpoint: c.field(row.endpoint, x: x, y: y, width: w, style: base)
            case .progress: drawProgress(&c, row, x: x, y: y, width: w, base: base)
            case .age: c.field(Format.duration(max(0, now - row.createdAt)), x: x, y: y, width: w, style: base, alignRight: true)
            case .eta: c.field(Format.duration(row.eta(now: now)), x: x, y: y, width: w, style: base, alignRight: true)
            case .expiry:
                let ttl = row.timeToExpiry(now: now)
                if row.etaPassesExpiry(now: now) {
                    c.field(c.glyphs.warning + " " + Format.duration(ttl), x: x, y: y, width: w, style: p.fgOnly(.danger, over: base), alignRight: true)
                } else {
                    c.field(Format.duration(ttl), x: x, y: y, width: w, style: base, alignRight: true)
                }
            case .cost: c.field(Format.money(row.costSoFar), x: x, y: y, width: w, style: base, alignRight: true)
            }
            x += w + 1
        }
    }

    /// "███░░░ 42% ✗3": bar of completed then failed, the percent done, failures counted.
    static func drawProgress(_ c: inout Canvas, _ row: JobRow, x: Int, y: Int, width: Int, base: CellStyle) {
        let p = c.palette
        let counts = row.counts
        var suffix = counts.total == 0 ? " -" : " " + Format.percent(row.progress)
        if counts.failed > 0 { suffix += " \(c.glyphs.status("failed"))\(Format.compact(Int64(counts.failed)))" }
        let barWidth = max(4, width - 10)
        let total = Double(max(1, counts.total))
        c.bar(
            x: x, y: y, width: barWidth, filled: Double(counts.completed) / total, failed: Double(counts.failed) / total,
            fill: p.fgOnly(.gaugeFill, over: base), failedStyle: p.fgOnly(.danger, over: base), empty: p.fgOnly(.gaugeEmpty, over: base))
        c.field(suffix, x: x + barWidth, y: y, width: width - barWidth, style: base)
    }
}
