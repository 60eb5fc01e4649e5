import BatchKit
import Testing
@testable import Dashboard

/// Random key sequences, sizes and data never crash the reducer or the renderer, and every frame
/// has exactly the requested size with no control characters in it.
@Suite struct RobustnessTests {
    static let keys: [Key] = KeyMap.standard.bindings.flatMap(\.keys) + [
        .char("y"), .char("n"), .char("!"), .char("翻"), .char("x"), .backspace, .left, .right, .tab, .backTab,
        .enter, .escape, .ctrl("u"), .delete, .function(5), .click(x: 3, y: 5), .click(x: 20, y: 2), .char(":"),
    ]
    static let sizes: [(Int, Int)] = [(0, 0), (1, 1), (10, 3), (59, 14), (60, 15), (80, 24), (61, 40), (300, 100)]

    @Test(arguments: 0..<8)
    func randomSessions(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) &* 7919)
        let palette = BuiltinThemes.named(BuiltinThemes.names[seed % BuiltinThemes.names.count])!.palette(depth: .ansi256)
        var s = Fixtures.loaded(readOnly: seed % 4 == 3, ascii: seed % 3 == 2)
        for step in 0..<250 {
            let roll = rng.next() % 100
            let action: Action
            switch roll {
            case 0..<80: action = .key(Self.keys[Int(rng.next() % UInt64(Self.keys.count))])
            case 80..<85:
                let (w, h) = Self.sizes[Int(rng.next() % UInt64(Self.sizes.count))]
                action = .resize(width: w, height: h)
            case 85..<90: action = .tick(now: Fixtures.now + Int64(step))
            case 90..<95:
                let n = Int(rng.next() % UInt64(Fixtures.jobs.count + 1))
                action = .jobsLoaded(Array(Fixtures.jobs.shuffled(using: &rng).prefix(n)))
            case 95..<97: action = .decisionsLoaded(Array(Fixtures.decisions.prefix(Int(rng.next() % 4))))
            case 97: action = .jobDetailLoaded(Fixtures.detail)
            default:
                action = .operationFinished(OperationResult(effect: .pollNow, succeeded: rng.next() % 2 == 0, message: "done\u{1B}[2J"))
            }
            let effects = reduce(&s, action)
            if s.context.readOnly { #expect(!effects.contains { $0.isWrite }) }
            if s.quitting { s.quitting = false }
            let screen = render(s, palette: palette)
            #expect(screen.width == s.width && screen.height == s.height)
            #expect(!screen.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
        }
    }
}

extension SplitMix: RandomNumberGenerator {}
