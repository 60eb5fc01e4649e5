import Foundation
import Testing
@testable import Dashboard

@Suite struct ThemeTests {
    struct ColorCase: CustomStringConvertible, Sendable {
        var text: String
        var depth: ColorDepth
        var expected: TerminalColor?
        var description: String { "\(text)@\(depth)" }
    }

    static let colors: [ColorCase] = [
        ColorCase(text: "default", depth: .ansi256, expected: .default),
        ColorCase(text: "9", depth: .ansi256, expected: TerminalColor(9)),
        ColorCase(text: "bright-red", depth: .ansi16, expected: TerminalColor(9)),
        ColorCase(text: "#ff0000", depth: .ansi256, expected: TerminalColor(196)),
        ColorCase(text: "#ff0000", depth: .ansi16, expected: TerminalColor(9)),
        ColorCase(text: "#000000", depth: .ansi16, expected: TerminalColor(0)),
        ColorCase(text: "#5fafff", depth: .ansi256, expected: TerminalColor(75)),
        ColorCase(text: "196", depth: .ansi16, expected: TerminalColor(9)),
        ColorCase(text: "#ff0000", depth: .none, expected: .default),
        ColorCase(text: "bright-red", depth: .ansi8, expected: TerminalColor(1)),
        ColorCase(text: "#00ff00", depth: .ansi8, expected: TerminalColor(2)),
        ColorCase(text: "256", depth: .ansi256, expected: nil),
        ColorCase(text: "#ff00", depth: .ansi256, expected: nil),
        ColorCase(text: "chartreuse", depth: .ansi256, expected: nil),
    ]

    @Test(arguments: colors)
    func colorParsingAndDowngrade(_ c: ColorCase) {
        let spec = ColorSpec(parsing: c.text)
        #expect(spec?.resolved(for: c.depth) == c.expected)
    }

    @Test func builtInsMatchTheShippedFiles() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files == BuiltinThemes.names.map { $0 + ".toml" }.sorted())
        for name in BuiltinThemes.names {
            let text = try String(contentsOf: dir.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(BuiltinThemes.source(named: name) == text, "themes/\(name).toml changed: run scripts/embed-themes.sh")
        }
    }

    @Test func defaultDefinesEveryToken() {
        for token in ThemeToken.allCases {
            #expect(BuiltinThemes.default.styles[token] != nil, "default theme lacks \(token.rawValue)")
        }
        #expect(BuiltinThemes.default.warnings.isEmpty)
    }

    @Test func missingKeysInheritUnknownKeysWarn() throws {
        let toml = """
            accent = "#ff0000"
            sparkle = "#00ff00"
            [status]
            failed = { fg = "nope", bold = true, blink = true }
            """
        let t = try ThemeParser.parse(name: "mine", toml: toml, base: BuiltinThemes.default)
        #expect(t.styles[.accent] == ThemeStyle(fg: .rgb(255, 0, 0)))
        #expect(t.styles[.ok] == BuiltinThemes.default.styles[.ok])
        #expect(t.styles[.statusFailed]?.attributes == .bold)
        #expect(t.styles[.statusFailed]?.fg == nil)
        #expect(t.warnings.count == 3)
        #expect(t.warnings.contains { $0.contains("unknown key 'sparkle'") })
        #expect(t.warnings.contains { $0.contains("bad colour 'nope'") })
        #expect(t.warnings.contains { $0.contains("status.failed.blink") })
    }

    @Test func invalidTOMLIsAClearError() {
        #expect {
            _ = try ThemeParser.parse(name: "broken", toml: "fg = \"#fff\nbg = 3", base: nil)
        } throws: { error in
            (error as? ThemeError)?.description.contains("invalid TOML at line 1") == true
        }
    }

    @Test func noColourDepthFallsBackToMono() {
        let p = BuiltinThemes.default.palette(depth: .none)
        #expect(p.themeName == "mono")
        #expect(ThemeToken.allCases.allSatisfy { p[$0].fg.isDefault && p[$0].bg.isDefault })
        #expect(p[.selection].attributes.contains(.reverse), "selection must stay visible without colour")
    }
}
