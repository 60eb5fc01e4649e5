/// A line made of styled segments, for the text-heavy panes (detail, queue, spend).
struct StyledLine {
    enum Segment {
        case text(String, CellStyle)
        /// A gauge bar of a fixed width.
        case bar(width: Int, filled: Double, fill: CellStyle, empty: CellStyle)
    }

    var segments: [Segment] = []

    init(_ segments: [Segment] = []) { self.segments = segments }

    static func text(_ s: String, _ style: CellStyle) -> StyledLine { StyledLine([.text(s, style)]) }

    mutating func add(_ s: String, _ style: CellStyle) { segments.append(.text(s, style)) }

    mutating func bar(width: Int, filled: Double, fill: CellStyle, empty: CellStyle) {
        segments.append(.bar(width: width, filled: filled, fill: fill, empty: empty))
    }
}

extension Canvas {
    /// Draws lines into a rectangle from `scroll` on; returns how many lines there were.
    mutating func draw(_ lines: [StyledLine], in r: Rect, scroll: Int) {
        let start = max(0, min(scroll, max(0, lines.count - r.height)))
        for (i, line) in lines.dropFirst(start).prefix(r.height).enumerated() {
            var x = r.x
            let y = r.y + i
            for seg in line.segments {
                let room = r.x + r.width - x
                guard room > 0 else { break }
                switch seg {
                case .text(let s, let style): x += text(s, x: x, y: y, width: room, style: style)
                case .bar(let w, let filled, let fill, let empty):
                    let bw = min(w, room)
                    bar(x: x, y: y, width: bw, filled: filled, fill: fill, empty: empty)
                    x += bw
                }
            }
        }
        if lines.count > r.height {
            let more = " \(start + 1)-\(min(lines.count, start + r.height))/\(lines.count) "
            text(more, x: r.x + r.width - DisplayWidth.of(more), y: r.y + r.height - 1, style: palette[.muted])
        }
    }
}
