import BatchKit
import Testing
@testable import Dashboard

/// Rendered screens compared with stored text snapshots: each pane and modal at 80x24 and 160x48,
/// and each built-in theme with its styles.
@Suite struct RenderSnapshotTests {
    static let sizes: [(Int, Int)] = [(80, 24), (160, 48)]
    static let palette = BuiltinThemes.default.palette(depth: .ansi256)

    /// A named screen setup: actions applied to the loaded fixture state.
    struct Scene: CustomStringConvertible, Sendable {
        var name: String
        var actions: [Action]
        var readOnly = false
        var description: String { name }
    }

    static let scenes: [Scene] = [
        Scene(name: "pane-jobs", actions: [.key(.down), .key(.char(" ")), .key(.char(" "))]),
        Scene(name: "pane-queue", actions: [.key(.char("2"))]),
        Scene(name: "pane-spend", actions: [.key(.char("3"))]),
        Scene(name: "pane-decisions", actions: [.key(.char("4"))]),
        Scene(name: "pane-detail", actions: [.key(.down), .key(.down), .key(.down), .key(.enter), .jobDetailLoaded(Fixtures.detail)]),
        Scene(name: "modal-help", actions: [.key(.char("?"))]),
        Scene(name: "modal-cancel", actions: [.key(.char("c"))]),
        Scene(name: "modal-cancel-bulk", actions: [.key(.char("s")), .key(.char("g"))] + Array(repeating: .key(.char(" ")), count: 11) + [.key(.char("c"))]),
        Scene(name: "modal-reclassify", actions: [.key(.char("m"))] + Fixtures.typing("users wait on it")),
        Scene(name: "modal-approve", actions: [.key(.char("4")), .key(.char("a"))]),
        Scene(name: "modal-reject-needs-comment", actions: [.key(.char("4")), .key(.char("x")), .key(.tab), .key(.tab), .key(.enter)]),
        Scene(name: "modal-command", actions: [.key(.char(":"))] + Fixtures.typing("jobs lane=batch")),
        Scene(name: "modal-filter-no-matches", actions: [.key(.char("/"))] + Fixtures.typing("zzz")),
        Scene(name: "modal-filter-inverted", actions: [.key(.char("/"))] + Fixtures.typing("!nightly") + [.key(.enter)]),
        Scene(name: "modal-toast-disabled", actions: [.key(.char("G")), .key(.char("k")), .key(.char("k")), .key(.char("c"))]),
        Scene(name: "readonly-paused-stale", actions: [.key(.char("p")), .tick(now: Fixtures.now + 60)], readOnly: true),
        Scene(name: "error-retry", actions: [.freshness(Freshness(lastSuccessAt: Fixtures.now - 30, lastError: "HTTP 503 from /v1/batches\u{1B}[2J", nextRetryAt: Fixtures.now + 8, interval: 5))]),
    ]

    @Test(arguments: scenes)
    func scene(_ scene: Scene) {
        for (w, h) in Self.sizes {
            var s = Fixtures.loaded(width: w, height: h, readOnly: scene.readOnly)
            Fixtures.run(&s, scene.actions)
            Snapshot.check(render(s, palette: Self.palette), named: "\(scene.name)-\(w)x\(h)")
        }
    }

    @Test(arguments: BuiltinThemes.names)
    func theme(_ name: String) throws {
        let theme = try #require(BuiltinThemes.named(name))
        #expect(theme.warnings.isEmpty, "built-in theme \(name) warns: \(theme.warnings)")
        var s = Fixtures.loaded(width: 80, height: 24)
        Fixtures.run(&s, [.key(.down)])
        let depth: ColorDepth = name == "terminal" ? .ansi16 : .ansi256
        Snapshot.check(render(s, palette: theme.palette(depth: depth)), named: "theme-\(name)-80x24", styles: true)
    }

    @Test func asciiGlyphs() {
        var s = Fixtures.loaded(width: 80, height: 24, ascii: true)
        Fixtures.run(&s, [.key(.char("c"))])
        let screen = render(s, palette: Self.palette)
        Snapshot.check(screen, named: "ascii-80x24")
        // Job data may be non-ASCII (the CJK workload); every glyph batchtop itself draws must not be.
        let unicodeGlyphs: Set<Character> = ["█", "░", "▓", "─", "│", "┌", "┐", "└", "┘", "…", "●", "•", "▲", "▼", "⚠", "▶", "✓", "✗", "◌", "◍", "◐", "⊘", "⌀"]
        #expect(!screen.cells.contains { unicodeGlyphs.contains($0.character) }, "--ascii must draw only ASCII glyphs")
    }

    @Test func tooSmall() {
        var s = Fixtures.loaded(width: 59, height: 15)
        let screen = render(s, palette: Self.palette)
        #expect(screen.text.contains("terminal too small: 59x15, need 60x15"))
        _ = reduce(&s, .resize(width: 60, height: 15))
        let ok = render(s, palette: Self.palette)
        #expect(!ok.text.contains("too small"))
        Snapshot.check(ok, named: "pane-jobs-60x15")
    }
}
