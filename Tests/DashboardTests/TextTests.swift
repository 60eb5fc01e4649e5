import Testing
import BatchKit
@testable import Dashboard

@Suite struct TextTests {
    struct WidthCase: CustomStringConvertible, Sendable {
        var text: String
        var width: Int
        var description: String { text.debugDescription }
    }

    static let widths: [WidthCase] = [
        WidthCase(text: "abc", width: 3),
        WidthCase(text: "翻訳", width: 4),
        WidthCase(text: "e\u{301}", width: 1),  // e + combining acute
        WidthCase(text: "한국어", width: 6),
        WidthCase(text: "ｆｕｌｌ", width: 8),
        WidthCase(text: "🚀x", width: 3),
        WidthCase(text: "a\u{200B}b", width: 2),
        WidthCase(text: "✓ ok", width: 4),
    ]

    @Test(arguments: widths)
    func displayWidth(_ c: WidthCase) { #expect(DisplayWidth.of(c.text) == c.width) }

    struct SanitizeCase: CustomStringConvertible, Sendable {
        var input: String
        var output: String
        var description: String { input.debugDescription }
    }

    static let sanitizing: [SanitizeCase] = [
        SanitizeCase(input: "plain", output: "plain"),
        SanitizeCase(input: "red\u{1B}[31mtext\u{1B}[0m", output: "redtext"),
        SanitizeCase(input: "title\u{1B}]0;pwned\u{07}after", output: "titleafter"),
        SanitizeCase(input: "osc\u{1B}]8;;http://x\u{1B}\\link", output: "osclink"),
        SanitizeCase(input: "line1\nline2\ttab", output: "line1 line2 tab"),
        SanitizeCase(input: "bell\u{07}del\u{7F}c1\u{9B}2Jz", output: "belldelc1z"),
        SanitizeCase(input: "bidi\u{202E}txet", output: "biditxet"),
        SanitizeCase(input: "翻訳\u{1B}c", output: "翻訳"),
    ]

    @Test(arguments: sanitizing)
    func sanitize(_ c: SanitizeCase) { #expect(UntrustedText.sanitized(c.input) == c.output) }

    @Test func canvasNeverSplitsAWideCharacter() {
        var c = Canvas(width: 5, height: 1, palette: BuiltinThemes.default.palette(depth: .ansi256), glyphs: .unicode)
        let used = c.text("ab翻訳", x: 0, y: 0, style: .plain)
        #expect(used == 5)
        #expect(c.screen.text == "ab翻")  // the second wide character does not fit: padded, not split
        #expect(c.screen[3, 0].isContinuation)
        // Overwriting the right half of a wide character blanks its left half.
        c.text("Z", x: 3, y: 0, style: .plain)
        #expect(c.screen.row(0) == "ab Z ")
    }

    @Test func canvasStripsEscapes() {
        var c = Canvas(width: 20, height: 1, palette: BuiltinThemes.default.palette(depth: .ansi256), glyphs: .unicode)
        c.text("a\u{1B}[2Jb\u{1B}]0;x\u{07}c", x: 0, y: 0, style: .plain)
        #expect(c.screen.text == "abc")
        #expect(!c.screen.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 } })
    }

    struct FormatCase: CustomStringConvertible, Sendable {
        var seconds: Int64?
        var text: String
        var description: String { text }
    }

    static let durations: [FormatCase] = [
        FormatCase(seconds: nil, text: "-"), FormatCase(seconds: 4, text: "4s"), FormatCase(seconds: 754, text: "12m"),
        FormatCase(seconds: 3 * 3600 + 300, text: "3h05m"), FormatCase(seconds: 2 * 86_400 + 4 * 3600, text: "2d04h"),
        FormatCase(seconds: -90, text: "-1m"), FormatCase(seconds: 9 * 86_400 + 23 * 3600, text: "9d23h"),
        FormatCase(seconds: 10 * 86_400 + 5 * 3600, text: "10d"), FormatCase(seconds: 334 * 86_400 + 12 * 3600, text: "334d"),
        FormatCase(seconds: -(333 * 86_400), text: "-333d"),
    ]

    @Test(arguments: durations)
    func duration(_ c: FormatCase) { #expect(Format.duration(c.seconds) == c.text) }
}
