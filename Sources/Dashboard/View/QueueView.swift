import BatchKit

/// The Queue pane: per lane, held jobs, jobs by status, pending requests, token gauges, sparkline.
enum QueueView {
    static func draw(_ c: inout Canvas, _ state: AppState, in r: Rect) {
        guard let out = lines(state, width: r.width, glyphs: c.glyphs, p: c.palette) else {
            c.text("loading queue depth…", x: 2, y: r.y + 1, style: c.palette[.muted])
            return
        }
        c.draw(out, in: Rect(x: 2, y: r.y + 1, width: r.width - 3, height: r.height - 1), scroll: state.paneScroll)
    }

    /// The pane's lines for a body `width` cells wide; nil until the queue is loaded.
    static func lines(_ state: AppState, width: Int, glyphs: GlyphSet, p: Palette) -> [StyledLine]? {
        guard let q = state.queue else { return nil }
        var out: [StyledLine] = []
        let barWidth = max(10, min(40, width - 60))
        for lane in q.lanes {
            var title = StyledLine()
            title.add("lane \(lane.lane)", p[lane.lane == .realtime ? .laneRealtime : .laneBatch].adding(.bold))
            title.add("   held for admission \(Format.count(lane.held))   pending requests \(Format.count(lane.pendingRequests))", p[.fg])
            out.append(title)
            var statuses = StyledLine()
            statuses.add("  jobs: ", p[.muted])
            if lane.byStatus.isEmpty { statuses.add("none in flight", p[.muted]) }
            for s in lane.byStatus {
                statuses.add("\(glyphs.status(s.status.rawValue)) \(s.status.rawValue.replacingOccurrences(of: "_", with: " ")) \(s.count)   ", p[.status(s.status.rawValue)])
            }
            out.append(statuses)
            for m in lane.tokens {
                var l = StyledLine()
                l.add("  " + Format.fit(m.model, width: 22, ellipsis: glyphs.ellipsis).padding(toLength: 23, withPad: " ", startingAt: 0), p[.fg])
                if let limit = m.limit, limit > 0 {
                    let f = Double(m.enqueued) / Double(limit)
                    let fill = f >= 0.95 ? p[.gaugeCritical] : (f >= 0.8 ? p[.gaugeWarn] : p[.gaugeFill])
                    l.bar(width: barWidth, filled: f, fill: fill, empty: p[.gaugeEmpty])
                    l.add(" \(Format.compact(m.enqueued)) / \(Format.compact(limit)) tokens enqueued (\(Format.percent(f)))", f >= 0.8 ? p[.warn] : p[.fg])
                } else {
                    l.add("\(Format.compact(m.enqueued)) tokens enqueued (limit unknown)", p[.fg])
                }
                out.append(l)
            }
            if !lane.depthHistory.isEmpty {
                var l = StyledLine()
                l.add("  depth, last hours  ", p[.muted])
                l.add(sparkline(lane.depthHistory.suffix(max(8, width - 40)), glyphs: glyphs), p[.accent])
                l.add("  now \(lane.depthHistory.last ?? 0), peak \(lane.depthHistory.max() ?? 0)", p[.muted])
                out.append(l)
            }
            out.append(StyledLine())
        }
        if q.lanes.isEmpty { out.append(.text("no lanes configured", p[.muted])) }
        return out
    }

    static func sparkline<C: Collection>(_ values: C, glyphs: GlyphSet) -> String where C.Element == Int {
        let top = max(1, values.max() ?? 1)
        let n = glyphs.sparks.count
        return String(values.map { v in glyphs.sparks[min(n - 1, max(0, v) * (n - 1) / top)] })
    }
}

import Foundation
