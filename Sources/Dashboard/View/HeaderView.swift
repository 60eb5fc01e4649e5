import BatchKit

/// The two header lines: who and where, then jobs in flight, today's spend and freshness.
enum HeaderView {
    static func draw(_ c: inout Canvas, _ state: AppState) {
        let p = c.palette
        let hs = p[.header]
        c.fill(x: 0, y: 0, width: c.width, height: 2, style: hs)
        var badges: [(String, ThemeToken)] = []
        if state.paused { badges.append((" PAUSED ", .badgePaused)) }
        if state.context.readOnly { badges.append((" READ-ONLY ", .badgeReadOnly)) }
        let badgeWidth = badges.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 }

        var x = 1
        x += c.text("batchtop", x: x, y: 0, style: hs.adding(.bold))
        let account = [state.context.organization, state.context.baseURL].compactMap { $0 }.joined(separator: " · ")
        var lanes = "  lanes: " + state.context.lanes.map(\.rawValue).joined(separator: ", ")
        var room = c.width - x - badgeWidth - 3
        if room - DisplayWidth.of(lanes) < 16 { lanes = "" }  // the account matters more than the lane list
        room -= DisplayWidth.of(lanes)
        x += c.text("  " + Format.fit(account, width: max(0, room), ellipsis: c.glyphs.ellipsis), x: x, y: 0, style: hs)
        c.text(lanes, x: x, y: 0, style: hs)

        var bx = c.width - 1
        for (label, token) in badges.reversed() {
            bx -= DisplayWidth.of(label)
            c.text(label, x: bx, y: 0, style: p[token])
            bx -= 1
        }

        let y1 = 1
        let inFlight = state.jobsLoadedOnce ? Format.count(inFlightCount(state)) : "…"
        x = 1
        x += c.text("in flight ", x: x, y: y1, style: hs)
        x += c.text(inFlight, x: x, y: y1, style: hs.adding(.bold))
        if let spend = state.spend {
            x += c.text("  today ", x: x, y: y1, style: hs)
            x += c.text(spend.todayTotal.formatted, x: x, y: y1, style: hs.adding(.bold))
        }
        x += c.text("  ", x: x, y: y1, style: hs)
        let (text, token) = freshness(state, warning: c.glyphs.warning)
        let style = token == .header ? hs : CellStyle(fg: p[token].fg, bg: hs.bg, attributes: p[token].attributes)
        c.text(text, x: x, y: y1, width: c.width - x - 1, style: style)
    }

    /// Jobs not yet terminal; counted over the loaded jobs (a cheap pass, done per frame only in the header).
    static func inFlightCount(_ state: AppState) -> Int {
        state.jobs.inFlight
    }

    /// The freshness phrase and its colour role.
    static func freshness(_ state: AppState, warning: String) -> (String, ThemeToken) {
        let f = state.freshness
        let now = state.now
        // What the running cycle says comes first, why: it is newer than any error (the backend passes
        // it only then), and "retry in 0s" from the last failure would be stale.
        if let activity = f.activity {
            var s = (f.activityIsWait ? "\(warning) " : "") + UntrustedText.sanitized(activity)
            if let last = f.lastSuccessAt { s += " · data from \(Format.duration(max(0, now - last))) ago" }
            return (s, f.activityIsWait ? .warn : .header)
        }
        if let err = f.lastError {
            var s = "\(warning) last error: \(UntrustedText.sanitized(err))"
            if let retry = f.nextRetryAt { s += " · retry in \(Format.duration(max(0, retry - now)))" }
            if let last = f.lastSuccessAt { s += " · data from \(Format.duration(max(0, now - last))) ago" }
            return (s, .danger)
        }
        guard let last = f.lastSuccessAt else { return (f.polling ? "loading…" : "waiting for the first poll", .header) }
        let age = Format.duration(max(0, now - last))
        if f.isStale(now: now) { return ("\(warning) stale: updated \(age) ago (polls every \(Format.duration(f.interval)))", .stale) }
        return ("updated \(age) ago" + (f.polling ? " · polling…" : ""), .header)
    }
}

/// The pane tabs and, on the right, filter, sort and mark status.
enum TabBarView {
    static let tabWidth = 13

    /// The pane whose tab covers a column, for mouse clicks.
    static func pane(atColumn x: Int) -> Pane? {
        let i = (x - 1) / tabWidth
        return x >= 1 ? Pane(rawValue: i + 1) : nil
    }

    static func draw(_ c: inout Canvas, _ state: AppState) {
        let p = c.palette
        c.fill(x: 0, y: 2, width: c.width, height: 1, style: p[.fg])
        for pane in Pane.allCases {
            let x = 1 + (pane.rawValue - 1) * tabWidth
            let active = pane == state.pane && state.detail == nil
            let label = " \(pane.rawValue) \(pane.description)"
            c.field(label, x: x, y: 2, width: tabWidth - 1, style: active ? p[.selection] : p[.muted])
        }
        var info: [String] = []
        if state.pane == .jobs && state.detail == nil {
            let f = state.jobs.filter
            if !f.isEmpty || state.input == .filter {
                info.append("filter: \(f.text.isEmpty ? "…" : f.text) (\(Format.count(state.jobs.visible.count)) of \(Format.count(state.jobs.count)))")
            } else {
                info.append("\(Format.count(state.jobs.count)) jobs")
            }
            if !state.marked.isEmpty { info.insert("\(state.marked.count) marked", at: 0) }
            info.append("sort: \(state.jobs.sort.column.rawValue) \(state.jobs.sort.reversed ? c.glyphs.arrowUp : c.glyphs.arrowDown)")
        }
        let text = info.joined(separator: "  ")
        let start = 1 + 4 * tabWidth + 1
        let room = c.width - start - 1
        guard room > 8 else { return }
        let t = Format.fit(text, width: room, ellipsis: c.glyphs.ellipsis)
        c.text(t, x: c.width - 1 - DisplayWidth.of(t), y: 2, style: p[.info])
    }
}
