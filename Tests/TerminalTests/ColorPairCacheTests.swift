import Dashboard
import Testing
@testable import Terminal

@Suite struct ColorPairCacheTests {
    @Test func allocatesOnceAndReuses() {
        var cache = ColorPairCache(capacity: 4)
        #expect(cache.pair(fg: .default, bg: .default) == (0, false))
        let a = cache.pair(fg: TerminalColor(1), bg: .default)
        #expect(a == (1, true))
        #expect(cache.pair(fg: TerminalColor(1), bg: .default) == (1, false))
        #expect(cache.pair(fg: TerminalColor(2), bg: TerminalColor(0)) == (2, true))
        #expect(cache.pair(fg: TerminalColor(3), bg: TerminalColor(0)) == (3, true))
        // Capacity 4 means pairs 1...3; a fourth combination falls back to the default pair.
        #expect(cache.pair(fg: TerminalColor(4), bg: TerminalColor(0)) == (0, false))
        #expect(cache.allocated == 3)
    }
}
