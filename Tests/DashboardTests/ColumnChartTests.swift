import Testing
@testable import Dashboard

/// The Spend pane's 30-day bars: scaling, the smallest visible level, a shared top, ASCII.
@Suite struct ColumnChartTests {
    @Test func scalesToTheTallestAndKeepsSmallDaysVisible() {
        let rows = ColumnChart.rows([0, 1, 12, 24], height: 3, columnWidth: 1, glyphs: .unicode)
        // 24 levels over 3 rows: 12 is half (a full bottom cell, half a middle one); 1 still shows.
        #expect(rows == [
            "   █",
            "  ▄█",
            " ▁██",
        ])
    }

    @Test func aSharedTopMakesChartsComparable() {
        let small = ColumnChart.rows([6, 12], top: 24, height: 3, columnWidth: 2, glyphs: .unicode)
        // Against a top of 24: 6 is a quarter (6 of 24 levels), 12 is half.
        #expect(small == [
            "    ",
            "  ▄▄",
            "▆▆██",
        ])
        // Values above the shared top are capped at the full height, never drawn past it.
        #expect(ColumnChart.rows([48], top: 24, height: 2, columnWidth: 1, glyphs: .unicode) == ["█", "█"])
    }

    @Test func asciiUsesItsOwnLevels() {
        #expect(ColumnChart.rows([1, 2], height: 1, columnWidth: 1, glyphs: .ascii) == ["=@"])
        #expect(ColumnChart.rows([], height: 2, columnWidth: 1, glyphs: .ascii) == ["", ""])
    }
}
