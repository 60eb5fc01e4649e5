/// A rendered frame: a grid of cells with resolved styles, row-major.
public struct Screen: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Every cell, row by row (`y * width + x`).
    public private(set) var cells: [Cell]

    /// A blank screen filled with `fill`.
    public init(width: Int, height: Int, fill: Cell = Cell()) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Whether (x, y) lies on the screen.
    @inlinable
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// One row as text, continuation cells skipped, trailing spaces kept.
    public func row(_ y: Int) -> String {
        var s = ""
        s.reserveCapacity(width)
        for x in 0..<width {
            let c = cells[y * width + x]
            if !c.isContinuation { s.append(c.character) }
        }
        return s
    }

    /// The whole screen as plain text, one line per row with trailing spaces trimmed.
    public var text: String {
        (0..<height).map { y in
            var line = row(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The cells that differ from `old`, as horizontal runs; everything when the sizes differ.
    ///
    /// Rule: a run never starts on a continuation cell, why: the terminal must redraw a wide
    /// grapheme from its left half, so a change in either half redraws the pair.
    public func diff(from old: Screen?) -> [ScreenRun] {
        guard let old, old.width == width, old.height == height else {
            return (0..<height).map { y in ScreenRun(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)])) }
        }
        var runs: [ScreenRun] = []
        cells.withUnsafeBufferPointer { new in
            old.cells.withUnsafeBufferPointer { prev in
                for y in 0..<height {
                    let base = y * width
                    var x = 0
                    while x < width {
                        if new[base + x] == prev[base + x] { x += 1; continue }
                        var start = x
                        while start > 0 && (new[base + start].isContinuation || prev[base + start].isContinuation) {
                            start -= 1
                        }
                        // Extend over changed cells and short equal gaps, so a run covers a word, not a letter.
                        var end = x + 1
                        var probe = x + 1
                        while probe < width {
                            if new[base + probe] != prev[base + probe] { end = probe + 1 } else if probe - end >= 3 { break }
                            probe += 1
                        }
                        while end < width && new[base + end].isContinuation { end += 1 }
                        if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                            // Merge with the previous run when a continuation pulled us back over it.
                            let from = last.x + last.cells.count
                            if end > from { runs[runs.count - 1].cells.append(contentsOf: new[(base + from)..<(base + end)]) }
                        } else {
                            runs.append(ScreenRun(x: start, y: y, cells: Array(new[(base + start)..<(base + end)])))
                        }
                        x = end
                    }
                }
            }
        }
        return runs
    }
}

/// A horizontal run of cells to redraw, starting at column `x` of row `y`.
public struct ScreenRun: Hashable, Sendable {
    /// Column of the first cell.
    public var x: Int
    /// Row of the run.
    public var y: Int
    /// The cells to write, left to right.
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) { self.x = x; self.y = y; self.cells = cells }
}
