import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// The one sanitizer and what is built on it: `SafeText`, `TerminalSafeJSON`, `CSVField`, the provider
/// text in `APIError`, request ids, masked base URLs, and redaction of typed text before it is stored.
@Suite struct OutputSafetyTests {
    static let hostile = "a\u{1B}]52;c;cm0=\u{07}b\u{1B}[2Jc\u{9B}1md\u{9D}0;t\u{9C}e\u{202E}f\u{2066}g\u{7F}h\u{0}i\rj\nk\u{85}l"

    /// Whether a terminal could act on something in `text`.
    static func hasHazard(_ text: String, allowLines: Bool = false) -> Bool {
        text.unicodeScalars.contains { s in
            if allowLines && (s == "\n" || s == "\t") { return false }
            return UntrustedText.isUnsafe(s)
        }
    }

    // MARK: UntrustedText

    @Test func theCleanCheckAgreesWithTheSanitizer() {
        for text in ["plain", "é 😀 翻訳", "c1 \u{9B}", "bidi \u{202E}", "isolate \u{2066}", "mark \u{200F}", "tab\t", "nl\n", "del\u{7F}",
                     "nel\u{85}", Self.hostile] {
            #expect(UntrustedText.isClean(text) == (UntrustedText.sanitized(text) == text), "\(text.debugDescription)")
            #expect(!Self.hasHazard(UntrustedText.sanitized(text)))
            #expect(!Self.hasHazard(UntrustedText.sanitizedLines(text), allowLines: true))
        }
    }

    @Test func linesKeepNewlinesAndTabsButNotCarriageReturns() {
        #expect(UntrustedText.sanitizedLines("a\nb\tc\r\nd\u{1B}[2Je") == "a\nb\tc\nde")
        #expect(UntrustedText.sanitized("a\nb\tc\rd") == "a b c d")
    }

    @Test func singleLineBoundsAHugeValueWithoutWalkingIt() {
        let huge = String(repeating: "x\u{1B}[1m", count: 200_000) + "TAIL"
        let cut = UntrustedText.singleLine(huge, limit: 40)
        #expect(cut.count == 40 && cut.hasSuffix("…") && !cut.contains("TAIL") && !Self.hasHazard(cut))
        #expect(UntrustedText.singleLine(String(repeating: "y", count: 40), limit: 40) == String(repeating: "y", count: 40))
    }

    // MARK: SafeText

    @Test func interpolatedValuesAreSanitizedToOneLineAndLiteralsKeepTheirLines() {
        let forged = "ok\naudit chain intact: 999 rows verified"
        let text: SafeText = "first\nvalue: \(forged) \(Self.hostile) \(42) \(Lane.batch)"
        #expect(text.text.hasPrefix("first\nvalue: ok audit chain intact"), "a value cannot start a new line: \(text.text)")
        #expect(text.text.split(separator: "\n").count == 2)
        #expect(!Self.hasHazard(text.text, allowLines: true))
        #expect(text.text.contains(" 42 batch"))
        let bounded: SafeText = "\(String(repeating: "z", count: 500), limit: 10)"
        #expect(bounded.text == String(repeating: "z", count: 9) + "…")
        #expect(SafeText(lines: "a\n\u{1B}[2Jb").text == "a\nb")
        #expect(SafeText(Self.hostile).text == UntrustedText.sanitized(Self.hostile))
    }

    // MARK: TerminalSafeJSON

    struct Doc: Codable, Equatable { var value: String; var list: [String] }

    @Test func jsonEscapesWhatATerminalWouldObeyAndKeepsTheData() throws {
        let doc = Doc(value: Self.hostile, list: ["é 😀 翻訳", "\u{200E}\u{061C}", "plain"])
        let safe = try TerminalSafeJSON.encode(doc)
        #expect(!Self.hasHazard(safe.text, allowLines: true), "\(safe.text)")
        #expect(safe.text.contains(#"\u009b"#) && safe.text.contains(#"\u202e"#) && safe.text.contains(#"\u007f"#))
        #expect(safe.text.contains("é 😀 翻訳"), "printable text is not escaped")
        #expect(try JSONDecoder().decode(Doc.self, from: Data(safe.text.utf8)) == doc, "a JSON reader gets exactly the same strings")
    }

    @Test func aStreamSplitInsideACharacterGivesTheSameBytes() throws {
        let whole = Data(#"{"a":"\#u{9B}x\#u{202E}é😀翻\#u{7F}"}"#.utf8)
        let expected = TerminalSafeJSON.escape(whole).text
        for cut in 0...whole.count {
            var filter = TerminalSafeJSON()
            var out = filter.escape(chunk: whole.prefix(cut))
            out += filter.escape(chunk: whole.dropFirst(cut))
            out += filter.finish()
            #expect(out.text == expected, "split at byte \(cut)")
        }
    }

    @Test func bytesThatAreNotUTF8BecomeReplacementCharacters() {
        var data = Data(#"{"a":"x"#.utf8)
        data.append(contentsOf: [0xFF, 0xC2, 0x41, 0xED, 0xA0, 0x80, 0xE2, 0x80])  // stray, cut, surrogate, cut at the end
        let text = TerminalSafeJSON.escape(data).text
        #expect(text.hasPrefix(#"{"a":"x"#))
        #expect(text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count >= 4)
        #expect(!Self.hasHazard(text, allowLines: true))
    }

    // MARK: CSV

    @Test func csvCellsAreSanitizedDefusedAndQuoted() {
        #expect(CSVField.text("=HYPERLINK(\"x\")\u{1B}]0;t\u{07},y") == #""'=HYPERLINK(""x""),y""#)
        #expect(CSVField.text("plain") == "plain")
        #expect(CSVField.text("plain", quoteAlways: true) == #""plain""#)
        #expect(CSVField.text("a\nb\u{9B}2Jc") == "a bc")
    }

    // MARK: Provider text in errors

    @Test func anAPIErrorDescribesProviderTextSanitizedAndBounded() {
        let e = APIError(kind: .invalidRequest, statusCode: 400, code: Self.hostile, message: Self.hostile + String(repeating: "m", count: 5000),
                         type: Self.hostile, param: Self.hostile, requestID: "req" + Self.hostile, method: "POST",
                         path: "/batches/batch_\u{1B}[2J/cancel")
        #expect(!Self.hasHazard(e.description), "\(e.description)")
        #expect(e.description.count < 2000, "a megabyte message is cut")
        #expect(e.description.contains("[request id: req"))
    }

    @Test func requestIDsAreCleanedBeforeTheAudit() {
        #expect(RequestIDLog.clean("req_\u{1B}]0;x\u{07}\u{9B}1m\u{202E}abc") == "req_abc", "the C1 CSI takes its parameters with it")
        #expect(RequestIDLog.clean("\u{1B}[2J") == nil)
        #expect(RequestIDLog.clean(String(repeating: "r", count: 10_000))?.count == 128)
        let log = RequestIDLog()
        log.observe(APICallRecord(method: "GET", path: "/batches", statusCode: 200, requestID: "req\u{9D}0;t\u{9C}ok", attempt: 1))
        #expect(log.take() == "reqok")
    }

    // MARK: Credentials

    @Test(arguments: [
        ("https://user:pa55@proxy.example/v1", "https://***:***@proxy.example/v1"),
        ("https://tok123@proxy.example/v1", "https://***@proxy.example/v1"),
        ("http://127.0.0.1:8787/v1", "http://127.0.0.1:8787/v1"),
    ])
    func baseURLCredentialsAreMasked(raw: String, shown: String) throws {
        #expect(Secret.maskedURL(try #require(URL(string: raw))) == shown)
    }
}
