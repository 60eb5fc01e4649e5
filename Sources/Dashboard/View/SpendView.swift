import BatchKit

/// The Spend pane: today per lane against budget, the last 7 and 30 days, savings, top spenders.
enum SpendView {
    static func draw(_ c: inout Canvas, _ state: AppState, in r: Rect) {
        guard let out = lines(state, width: r.width, glyphs: c.glyphs, p: c.palette) else {
            c.text("loading spend…", x: 2, y: r.y + 1, style: c.palette[.muted])
            return
        }
        c.draw(out, in: Rect(x: 2, y: r.y + 1, width: r.width - 3, height: r.height - 1), scroll: state.paneScroll)
    }

    /// The pane's lines for a body `width` cells wide; nil until spend is loaded.
    static func lines(_ state: AppState, width: Int, glyphs: GlyphSet, p: Palette) -> [StyledLine]? {
        guard let s = state.spend else { return nil }
        var out: [StyledLine] = []
        let barWidth = max(10, min(40, width - 50))
        out.append(.text("Today (\(s.day))  total \(s.todayTotal.formatted)", p[.accent]))
        for lane in s.today {
            var l = StyledLine()
            l.add("  " + lane.lane.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0), p[lane.lane == .realtime ? .laneRealtime : .laneBatch])
            if let budget = lane.budget, budget.value > 0 {
                let f = Double(lane.spent.value) / Double(budget.value)
                let level: ThemeToken = f >= s.criticalFraction ? .gaugeCritical : (f >= s.warnFraction ? .gaugeWarn : .gaugeFill)
                l.bar(width: barWidth, filled: f, fill: p[level], empty: p[.gaugeEmpty])
                let word = f >= s.criticalFraction ? "  over budget" : (f >= s.warnFraction ? "  near budget" : "")
                l.add(" \(lane.spent.formatted) of \(budget.formatted) (\(Format.percent(f)))\(word)", level == .gaugeFill ? p[.fg] : p[level == .gaugeWarn ? .warn : .danger])
            } else {
                l.add("\(lane.spent.formatted) (no budget set)", p[.fg])
            }
            out.append(l)
        }
        var saved = StyledLine()
        saved.add("  batch lane saved ", p[.fg])
        saved.add(s.savedToday.formatted, p[.ok].adding(.bold))
        saved.add(" today, ", p[.fg])
        saved.add(s.saved30Days.formatted, p[.ok].adding(.bold))
        saved.add(" over 30 days (vs real-time prices)", p[.fg])
        out.append(saved)
        out.append(StyledLine())

        let lanes = Lane.allCases
        let last7 = s.daily.suffix(7)
        out.append(.text("Last 7 days", p[.accent]))
        let max7 = max(1, last7.flatMap { $0.perLane.values.map(\.value) }.max() ?? 1)
        for day in last7 {
            for (i, lane) in lanes.enumerated() {
                var l = StyledLine()
                l.add("  " + (i == 0 ? day.label : "").padding(toLength: 7, withPad: " ", startingAt: 0), p[.muted])
                l.add(lane.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0), p[.muted])
                let v = day.perLane[lane] ?? .zero
                l.bar(width: barWidth, filled: Double(v.value) / Double(max7), fill: p[lane == .realtime ? .laneRealtime : .laneBatch], empty: p[.bg])
                l.add(" " + v.formatted, p[.fg])
                out.append(l)
            }
        }
        out.append(StyledLine())
        let last30 = Array(s.daily.suffix(30))
        out.append(.text("Last 30 days", p[.accent]))
        // Two columns per day when the pane is wide enough, one otherwise.
        let chartLeft = 14
        let columnWidth = width - chartLeft - 4 >= last30.count * 2 ? 2 : 1
        // One scale for both lanes, like the 7-day bars: the lanes' heights compare at a glance.
        let top30 = last30.flatMap { $0.perLane.values.map(\.value) }.max() ?? 1
        for lane in lanes {
            let values = last30.map { $0.perLane[lane]?.value ?? 0 }
            let total = last30.reduce(MicroDollars.zero) { $0 + ($1.perLane[lane] ?? .zero) }
            let style = p[lane == .realtime ? .laneRealtime : .laneBatch]
            var title = StyledLine()
            title.add("  " + lane.rawValue.padding(toLength: chartLeft - 2, withPad: " ", startingAt: 0), style)
            title.add(total.formatted + " in 30 days", p[.fg])
            if let peak = values.indices.max(by: { values[$0] < values[$1] }), values[peak] > 0 {
                title.add(", highest \(MicroDollars(values[peak]).formatted) on \(last30[peak].label)", p[.muted])
            }
            out.append(title)
            for row in ColumnChart.rows(values, top: top30, height: 3, columnWidth: columnWidth, glyphs: glyphs) {
                var l = StyledLine()
                l.add(String(repeating: " ", count: chartLeft), p[.fg])
                l.add(row, style)
                out.append(l)
            }
        }
        if let first = last30.first, let last = last30.last {
            // The day axis under the bars: first and last day at their columns.
            let span = last30.count * columnWidth
            let gap = max(1, span - first.label.count - last.label.count)
            out.append(.text(String(repeating: " ", count: chartLeft) + first.label + String(repeating: " ", count: gap) + last.label, p[.muted]))
        }
        out.append(StyledLine())
        out.append(.text("Top workloads today", p[.accent]))
        for w in s.topWorkloads.prefix(5) { out.append(.text("  " + Format.fit(w.name, width: 28, ellipsis: glyphs.ellipsis).padding(toLength: 30, withPad: " ", startingAt: 0) + w.amount.formatted, p[.fg])) }
        out.append(.text("Top models today", p[.accent]))
        for m in s.topModels.prefix(5) { out.append(.text("  " + Format.fit(m.name, width: 28, ellipsis: glyphs.ellipsis).padding(toLength: 30, withPad: " ", startingAt: 0) + m.amount.formatted, p[.fg])) }
        return out
    }
}

import Foundation
