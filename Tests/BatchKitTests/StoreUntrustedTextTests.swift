import Testing
@testable import BatchKit

@Suite struct StoreUntrustedTextTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("red \u{1B}[31mALERT\u{1B}[0m done", "red ALERT done"),
        ("title \u{1B}]0;pwned\u{7}after", "title after"),
        ("osc st \u{1B}]8;;http://x\u{1B}\\link", "osc st link"),
        ("line\nbreak\ttab\rcr", "line break tab cr"),
        ("nul\u{0}bell\u{7}del\u{7F}", "nulbelldel"),
        ("c1 \u{9B}2Jcsi", "c1 csi"),
        ("bidi \u{202E}fdp.exe", "bidi fdp.exe"),
        ("trailing esc \u{1B}", "trailing esc "),
        ("unicode é 😀 ok", "unicode é 😀 ok"),
    ])
    func stripsControlAndEscapeSequences(input: String, expected: String) {
        #expect(UntrustedText.sanitized(input) == expected)
    }

    @Test func singleLineCutsWithAnEllipsis() {
        #expect(UntrustedText.singleLine("abcdef", limit: 4) == "abc…")
        #expect(UntrustedText.singleLine("abc", limit: 4) == "abc")
    }
}
