/// A centred confirmation dialog: title, targets and cost impact, fields, and No / Yes buttons.
enum DialogView {
    static func draw(_ c: inout Canvas, _ d: Dialog) {
        let p = c.palette
        let w = min(c.width - 4, 76)
        let inner = w - 4
        var body: [(String, CellStyle)] = d.lines.flatMap { line in
            wrap(line, width: inner).map { ($0, line.hasPrefix("cost impact") ? p[.warn].with(bg: p[.dialog].bg) : p[.dialog]) }
        }
        if let e = d.error { body.append(("! " + e, p[.danger].with(bg: p[.dialog].bg))) }
        var fieldRows: [Dialog.Focus] = []
        if !d.choices.isEmpty { fieldRows.append(.choice) }
        if d.textLabel != nil { fieldRows.append(.text) }
        if d.typedConfirmation != nil { fieldRows.append(.typed) }
        let h = min(c.height - 2, body.count + fieldRows.count + 4)
        let x = (c.width - w) / 2, y = max(1, (c.height - h) / 2)
        c.box(x: x, y: y, width: w, height: h, style: p[.dialog], title: d.title, titleStyle: p[.dialog].adding(.bold))
        var line = y + 1
        for (text, style) in body where line < y + h - 3 - fieldRows.count {
            c.field(text, x: x + 2, y: line, width: inner, style: style)
            line += 1
        }
        for f in fieldRows where line < y + h - 2 {
            let focused = d.focus == f
            let style = focused ? p[.selection] : p[.input]
            switch f {
            case .choice:
                let label = "move to: "
                c.text(label, x: x + 2, y: line, style: p[.dialog])
                c.field("\(c.glyphs.arrowUp)\(c.glyphs.arrowDown) " + d.choices[d.choiceIndex].description, x: x + 2 + label.count, y: line, width: inner - label.count, style: style)
            case .text:
                let label = (d.textLabel ?? "text") + (d.textRequired ? " (required): " : ": ")
                c.text(label, x: x + 2, y: line, style: p[.dialog])
                let lw = DisplayWidth.of(label)
                c.field(d.text + (focused ? "_" : ""), x: x + 2 + lw, y: line, width: inner - lw, style: style)
            case .typed:
                let label = "type \(d.typedConfirmation ?? "") to confirm: "
                c.text(label, x: x + 2, y: line, style: p[.dialog])
                let lw = DisplayWidth.of(label)
                c.field(d.typed + (focused ? "_" : ""), x: x + 2 + lw, y: line, width: min(10, inner - lw), style: style)
            case .no, .yes: break
            }
            line += 1
        }
        let by = y + h - 2
        let no = "[ No ]", yes = "[ Yes ]"
        let bx = x + w - 2 - no.count - yes.count - 2
        c.text(no, x: bx, y: by, style: d.focus == .no ? p[.selection] : p[.dialog])
        c.text(yes, x: bx + no.count + 2, y: by, style: d.focus == .yes ? p[.selection].adding(.bold) : p[.dialog])
        c.text("default is No", x: x + 2, y: by, width: max(0, bx - x - 3), style: p[.muted].with(bg: p[.dialog].bg))
    }

    /// Greedy word wrap by display width; continuation lines are indented like the first.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard DisplayWidth.of(text) > width, width > 10 else { return [text] }
        let indent = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? indent + word : current + " " + word
            if DisplayWidth.of(candidate) > width && !current.isEmpty {
                lines.append(current)
                current = indent + "  " + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

extension CellStyle {
    /// This style on another background.
    func with(bg: TerminalColor) -> CellStyle { CellStyle(fg: fg, bg: bg, attributes: attributes) }
}
