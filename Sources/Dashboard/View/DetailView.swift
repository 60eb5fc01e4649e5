import BatchKit

/// The job detail: every field, transitions, errors by code, files, lineage, decisions, audit.
enum DetailView {
    static func draw(_ c: inout Canvas, _ state: AppState, in r: Rect) {
        guard let d = state.detail else { return }
        let p = c.palette
        let row = d.detail?.row ?? state.jobs.row(id: d.jobID)
        c.text("Job \(d.jobID)", x: 1, y: r.y, width: r.width - 2, style: p[.title])
        guard let row else {
            c.text("loading…", x: 2, y: r.y + 2, style: p[.muted])
            return
        }
        let lines = self.lines(row, d.detail, state: state, glyphs: c.glyphs, p: p)
        c.draw(lines, in: Rect(x: 2, y: r.y + 1, width: r.width - 3, height: r.height - 1), scroll: d.scroll)
    }

    static func lines(_ row: JobRow, _ detail: JobDetail?, state: AppState, glyphs: GlyphSet, p: Palette) -> [StyledLine] {
        let b = detail?.batch
        let now = state.now
        var out: [StyledLine] = []
        func field(_ name: String, _ value: String, _ style: CellStyle? = nil) {
            var l = StyledLine()
            l.add(name.padding(toLength: 16, withPad: " ", startingAt: 0), p[.muted])
            l.add(value, style ?? p[.fg])
            out.append(l)
        }
        func heading(_ t: String) {
            out.append(StyledLine())
            out.append(.text(t, p[.accent]))
        }
        let s = row.displayStatus
        field("status", "\(glyphs.status(s.rawValue)) \(s.rawValue)" + (row.cancelRequestedAt != nil && !s.isTerminal ? " (cancel requested)" : ""), p[.status(s.rawValue)])
        if let since = detail?.missingSince {
            field("missing since", "\(Format.duration(max(0, now - since))) ago: the provider answers 404; still checked every few minutes", p[.warn])
        }
        field("workload", row.workload ?? "-")
        field("lane", row.lane.rawValue + (row.urgency.map { "  class \($0)" } ?? ""))
        field("model", row.model ?? "-")
        field("endpoint", row.endpoint)
        let c = row.counts
        var progress = StyledLine()
        progress.add("progress".padding(toLength: 16, withPad: " ", startingAt: 0), p[.muted])
        progress.bar(width: 20, filled: row.progress, fill: p[.gaugeFill], empty: p[.gaugeEmpty])
        progress.add("  \(Format.count(c.completed)) completed, \(Format.count(c.failed)) failed, \(Format.count(c.total)) total", p[.fg])
        out.append(progress)
        field("created", "\(Format.duration(now - row.createdAt)) ago")
        field("ETA", Format.duration(row.eta(now: now)))
        if let ttl = row.timeToExpiry(now: now) {
            field("expires in", Format.duration(ttl) + (row.etaPassesExpiry(now: now) ? "  \(glyphs.warning) ETA passes expiry" : ""), row.etaPassesExpiry(now: now) ? p[.danger] : nil)
        }
        field("cost so far", Format.money(row.costSoFar))
        if let u = b?.usage {
            field("tokens", "\(Format.count(u.inputTokens)) in (\(Format.count(u.cachedInputTokens)) cached), \(Format.count(u.outputTokens)) out")
        }
        if let b { field("window", b.completionWindow) }
        if let parent = row.parentJobID { field("resubmit of", parent) }
        if let children = detail?.childJobIDs, !children.isEmpty { field("resubmitted as", children.joined(separator: ", ")) }
        for (k, v) in (b?.metadata ?? [:]).sorted(by: { $0.key < $1.key }) { field("meta." + k, v) }
        guard let detail else {
            out.append(StyledLine())
            out.append(.text("loading timeline, errors and audit…", p[.muted]))
            return out
        }
        heading("Timeline")
        for t in detail.transitions {
            out.append(.text("\(Format.duration(now - t.at)) ago  \(t.from?.rawValue ?? "·") \(glyphs.arrowRight) \(t.to.rawValue)", p[.fg]))
        }
        if let b, !b.errors.isEmpty {
            heading("Batch errors")
            for e in b.errors {
                out.append(.text("\(e.code ?? "error")\(e.line.map { " (line \($0))" } ?? ""): \(e.message ?? "")", p[.danger]))
            }
        }
        heading("Request errors by code")
        if let note = detail.requestErrorsNote {
            out.append(.text(note, p[.muted]))
        } else if detail.requestErrors.isEmpty {
            out.append(.text("none", p[.muted]))
        }
        for g in detail.requestErrors {
            var l = StyledLine()
            l.add("\(Format.count(g.count))x ".padding(toLength: 8, withPad: " ", startingAt: 0), p[.danger])
            l.add(g.code + "  ", p[.fg])
            l.add(g.example, p[.muted])
            out.append(l)
        }
        heading("Files")
        for f in detail.files {
            out.append(.text("\(f.role.padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.id)  \(f.filename ?? "")  \(f.bytes.map { Format.count($0) + " bytes" } ?? "")", p[.fg]))
        }
        if !detail.decisions.isEmpty {
            heading("Routing decisions")
            for d in detail.decisions {
                out.append(.text("\(d.id) \(d.state.rawValue): \(d.fromLane?.rawValue ?? "?") \(glyphs.arrowRight) \(d.toLane) (\(d.requestedBy): \(d.reason))", p[.fg]))
            }
        }
        heading("Audit")
        if detail.audit.isEmpty { out.append(.text("no operator actions yet", p[.muted])) }
        for a in detail.audit {
            out.append(.text("\(Format.duration(now - a.at)) ago  \(a.actor)  \(a.action)  \(a.detail)", p[.fg]))
        }
        return out
    }
}

import Foundation
