/// A small vertical bar chart drawn with block characters: one column per value, several rows high.
///
/// Why not a sparkline: at one row a sparkline has 8 levels, too few to tell a $2 day from a $3 day
/// over a month; three rows give 24, and the columns read as the bars the Spend pane promises.
enum ColumnChart {
    /// The chart's rows, top first, each `values.count * columnWidth` characters wide, scaled so `top`
    /// (the largest value when nil) fills the height; charts drawn with the same `top` compare. Every
    /// column above zero shows at least its lowest level, so a small day never looks like none.
    static func rows(_ values: [Int64], top: Int64? = nil, height: Int, columnWidth: Int, glyphs: GlyphSet) -> [String] {
        let height = max(1, height), columnWidth = max(1, columnWidth)
        let levels = glyphs.sparks.count
        let top = max(1, top ?? values.max() ?? 1)
        let units: [Int] = values.map { v in
            guard v > 0 else { return 0 }
            // Multiply in Double: micro-dollar totals times the level count can pass Int64.
            return min(height * levels, max(1, Int((Double(v) / Double(top) * Double(height * levels)).rounded())))
        }
        return (0..<height).reversed().map { row in
            var line = ""
            for u in units {
                let fill = u - row * levels
                let cell: Character = fill >= levels ? glyphs.sparks[levels - 1] : (fill <= 0 ? " " : glyphs.sparks[fill - 1])
                line += String(repeating: String(cell), count: columnWidth)
            }
            return line
        }
    }
}
