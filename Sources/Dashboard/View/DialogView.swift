/// A centred confirmation dialog: title, targets and cost impact, fields, and No / Yes buttons.
enum DialogView {
    static func draw(_ c: inout Canvas, _ d: Dialog) {
        let p = c.palette
        let w = min(c.width - 4, 76)
        var body: [(String, CellStyle)] = d.lines.map { ($0, $0.hasPrefix("cost impact") ? p[.warn].with(bg: p[.dialog].bg) : p[.dialog]) }
        var fieldRows: [Dialog.Focus] = []
        if !d.choices.isEmpty { fieldRows.append(.choice) }
        if d.textLabel != nil { fieldRows.append(.text) }
        if d.typedConfirmation != nil { fieldRows.append(.typed) }
        let h = min(c.height - 2, 4 + body.count + fieldRows.count + (d.error == nil ? 0 : 1) + 2)
        let x = (c.width - w) / 2, y = max(1, (c.height - h) / 2)
        c.box(x: x, y: y, width: w, height: h, style: p[.dialog], title: d.title, titleStyle: p[.dialog].adding(.bold))
        var line = y + 1
        let inner = w - 4
        if let e = d.error { body.append(("! " + e, p[.danger].with(bg: p[.dialog].bg))) }
        for (text, style) in body where line < y + h - 3 {
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
}

extension CellStyle {
    /// This style on another background.
    func with(bg: TerminalColor) -> CellStyle { CellStyle(fg: fg, bg: bg, attributes: attributes) }
}
