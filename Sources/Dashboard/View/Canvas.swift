import BatchKit

/// A screen being drawn: clipped, width-aware text placement with sanitising built in.
///
/// Rule: views draw only through `Canvas.text`, why: it is the one place that strips control
/// characters and escape sequences and measures wide characters, so no view can corrupt a line.
public struct Canvas {
    /// The frame drawn so far.
    public var screen: Screen
    /// The resolved theme.
    public let palette: Palette
    /// Unicode or ASCII symbols.
    public let glyphs: GlyphSet

    public init(width: Int, height: Int, palette: Palette, glyphs: GlyphSet) {
        self.palette = palette; self.glyphs = glyphs
        screen = Screen(width: width, height: height, fill: Cell(" ", style: palette[.fg]))
    }

    /// Columns.
    public var width: Int { screen.width }
    /// Rows.
    public var height: Int { screen.height }

    /// Writes one cell, repairing any wide grapheme it overwrites half of.
    mutating func put(_ ch: Character, x: Int, y: Int, style: CellStyle, wide: Bool = false) {
        guard screen.contains(x: x, y: y) else { return }
        let old = screen[x, y]
        if old.isContinuation, x > 0 { screen[x - 1, y] = Cell(" ", style: screen[x - 1, y].style) }
        if !wide, x + 1 < width, screen[x + 1, y].isContinuation { screen[x + 1, y] = Cell(" ", style: style) }
        screen[x, y] = Cell(ch, style: style)
        if wide, x + 1 < width {
            if x + 2 < width, screen[x + 2, y].isContinuation { screen[x + 2, y] = Cell(" ", style: style) }
            screen[x + 1, y] = Cell(" ", style: style, isContinuation: true)
        }
    }

    /// Draws `text` at (x, y), clipped to `width` columns; returns the columns used.
    @discardableResult
    public mutating func text(_ text: String, x: Int, y: Int, width maxWidth: Int? = nil, style: CellStyle) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        let clean = UntrustedText.sanitized(text)
        var col = 0
        for ch in clean {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit {
                if w == 2 && col < limit { put(" ", x: x + col, y: y, style: style); col += 1 }
                break
            }
            if x + col >= 0 { put(ch, x: x + col, y: y, style: style, wide: w == 2) }
            col += w
        }
        return col
    }

    /// Draws text padded or truncated (with an ellipsis) to exactly `width` columns.
    public mutating func field(_ text: String, x: Int, y: Int, width: Int, style: CellStyle, alignRight: Bool = false) {
        let t = Format.fit(text, width: width, ellipsis: glyphs.ellipsis)
        let w = DisplayWidth.of(t)
        if alignRight {
            fill(x: x, y: y, width: width - w, height: 1, style: style)
            self.text(t, x: x + width - w, y: y, width: w, style: style)
        } else {
            self.text(t, x: x, y: y, width: width, style: style)
            fill(x: x + w, y: y, width: width - w, height: 1, style: style)
        }
    }

    /// Fills a rectangle with a character.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle, with ch: Character = " ") {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 { put(ch, x: xx, y: yy, style: style) }
        }
    }

    /// Draws a box border with an optional title and clears its inside.
    public mutating func box(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle, title: String? = nil, titleStyle: CellStyle? = nil) {
        guard w >= 2, h >= 2 else { return }
        fill(x: x, y: y, width: w, height: h, style: style)
        for xx in x + 1..<x + w - 1 {
            put(glyphs.horizontal, x: xx, y: y, style: style)
            put(glyphs.horizontal, x: xx, y: y + h - 1, style: style)
        }
        for yy in y + 1..<y + h - 1 {
            put(glyphs.vertical, x: x, y: yy, style: style)
            put(glyphs.vertical, x: x + w - 1, y: yy, style: style)
        }
        put(glyphs.topLeft, x: x, y: y, style: style)
        put(glyphs.topRight, x: x + w - 1, y: y, style: style)
        put(glyphs.bottomLeft, x: x, y: y + h - 1, style: style)
        put(glyphs.bottomRight, x: x + w - 1, y: y + h - 1, style: style)
        if let title, w > 6 {
            text(" " + title + " ", x: x + 2, y: y, width: w - 4, style: titleStyle ?? style)
        }
    }

    /// A horizontal bar `width` wide: `filled` fraction in `fill`, the failed fraction after it.
    public mutating func bar(x: Int, y: Int, width w: Int, filled: Double, failed: Double = 0, fill: CellStyle, failedStyle: CellStyle? = nil, empty: CellStyle) {
        guard w > 0 else { return }
        let f = Int((max(0, min(1, filled)) * Double(w)).rounded(.down))
        let bad = min(w - f, Int((max(0, min(1, failed)) * Double(w)).rounded(.up)))
        for i in 0..<w {
            if i < f { put(glyphs.barFull, x: x + i, y: y, style: fill) } else if i < f + bad {
                put(glyphs.barFailed, x: x + i, y: y, style: failedStyle ?? fill)
            } else { put(glyphs.barEmpty, x: x + i, y: y, style: empty) }
        }
    }
}
