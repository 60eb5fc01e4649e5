import Testing
@testable import Dashboard

@Suite struct ScreenDiffTests {
    /// Applies runs to a copy of `old`.
    func apply(_ runs: [ScreenRun], to old: Screen) -> Screen {
        var s = old
        for r in runs { for (i, c) in r.cells.enumerated() { s[r.x + i, r.y] = c } }
        return s
    }

    @Test func identicalScreensHaveNoDiff() {
        let a = render(Fixtures.loaded(), palette: BuiltinThemes.default.palette(depth: .ansi256))
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func sizeChangeRedrawsEverything() {
        let a = Screen(width: 10, height: 3), b = Screen(width: 12, height: 3)
        let runs = b.diff(from: a)
        #expect(runs.count == 3 && runs.allSatisfy { $0.x == 0 && $0.cells.count == 12 })
    }

    /// Random edits, wide characters included: old + diff == new, every time.
    @Test(arguments: 0..<20)
    func diffReproducesTheNewScreen(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let palette = BuiltinThemes.default.palette(depth: .ansi256)
        var a = Canvas(width: 40, height: 6, palette: palette, glyphs: .unicode)
        var b = a
        let words = ["alpha", "翻訳", "β", "🚀", "x", "ジョブ", "e\u{301}"]
        for _ in 0..<30 {
            let w = words[Int(rng.next() % UInt64(words.count))]
            let x = Int(rng.next() % 40), y = Int(rng.next() % 6)
            a.text(w, x: x, y: y, style: palette[.fg])
            if rng.next() % 3 != 0 { b.text(w, x: x, y: y, style: rng.next() % 2 == 0 ? palette[.accent] : palette[.fg]) }
        }
        for _ in 0..<10 {
            let w = words[Int(rng.next() % UInt64(words.count))]
            b.text(w, x: Int(rng.next() % 40), y: Int(rng.next() % 6), style: palette[.danger])
        }
        let runs = b.screen.diff(from: a.screen)
        #expect(apply(runs, to: a.screen) == b.screen)
        #expect(runs.allSatisfy { !$0.cells[0].isContinuation }, "a run never starts on the right half of a wide character")
    }

    @Test func cursorMoveTouchesFewCells() {
        let palette = BuiltinThemes.default.palette(depth: .ansi256)
        var s = Fixtures.loaded(width: 160, height: 48)
        let before = render(s, palette: palette)
        _ = reduce(&s, .key(.down))
        let after = render(s, palette: palette)
        let changed = after.diff(from: before).reduce(0) { $0 + $1.cells.count }
        #expect(changed > 0 && changed < 160 * 4, "moving the selection redraws two rows and the status, not the screen")
    }
}

/// A tiny deterministic generator for reproducible random tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
