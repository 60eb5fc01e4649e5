import Dashboard
import Testing
@testable import Terminal

@Suite struct TestTerminalTests {
    func screen(_ lines: [String], width: Int = 12) -> Screen {
        var c = Canvas(width: width, height: lines.count, palette: BuiltinThemes.default.palette(depth: .ansi256), glyphs: .unicode)
        for (y, l) in lines.enumerated() { c.text(l, x: 0, y: y, style: .plain) }
        return c.screen
    }

    @Test func drawsOnlyDiffsAndEndsEqualToTheFrame() {
        let t = TestTerminal(width: 12, height: 3)
        let a = screen(["hello", "翻訳 ok", "world"])
        t.draw(a, previous: nil)
        #expect(t.grid == a)
        #expect(t.lastDrawCells == 36)
        let b = screen(["hello", "翻 ok!", "world"])
        t.draw(b, previous: a)
        #expect(t.grid == b)
        #expect(t.lastDrawCells < 12, "only the changed part of one row is sent")
    }

    @Test func scriptedEventsThenTimeouts() {
        let t = TestTerminal()
        t.type(.char("j"), .enter)
        t.resize(width: 60, height: 15)
        #expect(t.nextEvent(timeoutMilliseconds: 10) == .key(.char("j")))
        #expect(t.nextEvent(timeoutMilliseconds: 10) == .key(.enter))
        #expect(t.nextEvent(timeoutMilliseconds: 10) == .resize(TerminalSize(width: 60, height: 15)))
        #expect(t.nextEvent(timeoutMilliseconds: 10) == nil)
        #expect(t.size == TerminalSize(width: 60, height: 15))
    }
}
