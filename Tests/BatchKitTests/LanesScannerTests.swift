import Foundation
import Testing
@testable import BatchKit

@Suite struct LanesScannerTests {
    func scan(_ text: String) -> Result<ScannedRequest, JSONScanError> { JSONLineScanner().scan(Array(text.utf8)) }

    func value(_ field: ScannedField, in text: String) -> String? {
        guard case .string(let slice) = field else { return nil }
        return Array(text.utf8).withUnsafeBufferPointer { JSONLineScanner.value(slice, in: $0) }
    }

    @Test(arguments: [
        #"{}"#, #" { "a" : [ 1 , -0.5e+3 , true , false , null , "x" , { } , [ ] ] } "#,
        #"{"n":[0,-0,1.25,1E9,-12e-3,123456789012345678901234567890]}"#,
        #"{"s":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00 é 日本"}"#,
        "{\"a\":1}\r", "{\"a\":\t1}",
    ])
    func wellFormedLinesPass(_ text: String) {
        guard case .success = scan(text) else { Issue.record("rejected: \(text)"); return }
    }

    @Test(arguments: [
        (#"{"a":01}"#, 6, "leading zeros"),
        (#"{"a":1.}"#, 8, "after '.'"),
        (#"{"a":-}"#, 7, "expected a digit"),
        (#"{"a":1e}"#, 8, "exponent"),
        (#"{"a":+1}"#, 6, "expected a value"),
        (#"{"a":tru}"#, 9, "'true'"),
        (#"{"a":nul}"#, 9, "'null'"),
        (#"{"a":"\x"}"#, 7, "invalid escape"),
        (#"{"a":"\u12G4"}"#, 11, "hex digits"),
        ("{\"a\":\"tab\there\"}", 10, "control character"),
        (#"{"a":"open}"#, 6, "inside a string"),
        (#"{"a":1,}"#, 8, "quoted key"),
        (#"{,}"#, 2, "quoted key"),
        (#"{"a" 1}"#, 6, "expected ':'"),
        (#"{"a":1]"#, 7, "expected ','"),
        (#"{"a":[1}"#, 8, "expected ','"),
        (#"{"a":1} {}"#, 9, "trailing garbage"),
        (#"{"a":{"b":[1,2]}"#, 17, "unclosed object"),
        (#"[1]"#, 1, "must be a JSON object"),
        (#"{'a':1}"#, 2, "quoted key"),
    ])
    func malformedLinesFailWhereTheyBreak(text: String, column: Int, says: String) {
        guard case .failure(let error) = scan(text) else { Issue.record("accepted: \(text)"); return }
        #expect(error.column == column, "\(error.message)")
        #expect(error.message.contains(says), "\(error.message)")
        #expect(error.kind == .syntax)
    }

    @Test func nestingIsBoundedWithoutRecursion() {
        let deep = #"{"a":"# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        guard case .failure(let error) = scan(deep) else { Issue.record("accepted"); return }
        #expect(error.message.contains("nested deeper than 512"))
        let ok = #"{"a":"# + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "}"
        guard case .success = scan(ok) else { Issue.record("rejected 500 levels"); return }
    }

    @Test func extractsOnlyTopLevelFieldsAndBodyModel() throws {
        let text = #"{"x":{"custom_id":"inner","body":{"model":"no"}},"custom_id":"a\"b\u00e9","method":"POST","url":"\/v1\/responses","body":{"input":[{"model":"nested"}],"model":"gpt-4o","z":"\"model\":\"s\""},"y":"\"url\":1"}"#
        let request = try scan(text).get()
        #expect(value(request.customID, in: text) == "a\"bé")
        #expect(value(request.method, in: text) == "POST")
        #expect(value(request.url, in: text) == "/v1/responses")
        #expect(value(request.model, in: text) == "gpt-4o")
        #expect(request.duplicateKey == nil)
        guard case .object(let start, let end) = request.body else { Issue.record("no body"); return }
        let bytes = Array(text.utf8)
        #expect(bytes[start] == UInt8(ascii: "{") && bytes[end - 1] == UInt8(ascii: "}"))
        #expect(String(decoding: bytes[start..<end], as: UTF8.self).hasPrefix(#"{"input""#))
    }

    @Test(arguments: [
        (#"{"custom_id":null}"#, ScannedField.other(.null)),
        (#"{"custom_id":{"v":"a"}}"#, ScannedField.other(.object)),
        (#"{"custom_id":["a"]}"#, ScannedField.other(.array)),
        (#"{"custom_id":false}"#, ScannedField.other(.boolean)),
        (#"{"custom_id":12}"#, ScannedField.other(.number)),
        (#"{"other":1}"#, ScannedField.absent),
    ])
    func reportsTheKindOfNonStringFields(text: String, expected: ScannedField) throws {
        #expect(try scan(text).get().customID == expected)
    }

    @Test(arguments: [
        (#"{"body":{"model":"m","input":"one"}}"#, 1),
        (#"{"body":{"model":"m","input":["a","b",""]}}"#, 3),
        (#"{"body":{"model":"m","input":[[1,2],[3],[4,5,6]]}}"#, 3),
        (#"{"body":{"model":"m","input":[101,2023,3]}}"#, 1),
        (#"{"body":{"model":"m","input":[]}}"#, 0),
        (#"{"body":{"model":"m","x":{"input":["a","b"]}},"input":["c","d"]}"#, 0),
        (#"{"body":{"model":"m","input":[{"role":"user","content":["x","y"]}]}}"#, 1),
    ])
    func countsEmbeddingInputsAtTheTopOfBodyOnly(text: String, inputs: Int) throws {
        #expect(try scan(text).get().embeddingInputs == inputs)
    }

    @Test(arguments: [
        (#"abc"#, "abc"), (#"a\u0062c"#, "abc"), (#"\ud83d\ude00"#, "😀"), (#"\ud83d"#, "\u{FFFD}"),
        (#"tab\tquote\"slash\/"#, "tab\tquote\"slash/"),
    ])
    func unescapesValues(raw: String, expected: String) {
        let bytes = Array(raw.utf8)
        let out = bytes.withUnsafeBufferPointer { JSONLineScanner.unescape($0) }
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func everyTruncationOfAValidLineFails() {
        // Hostile case: a file cut mid-line must never pass as a complete request.
        let line = requestLine("trunc-\u{00e9}", content: #"say \"hi\" \u00e9"#)
        let bytes = Array(line.utf8)
        #expect((try? JSONLineScanner().scan(bytes).get()) != nil)
        for cut in 1..<bytes.count {
            if case .success = JSONLineScanner().scan(Array(bytes[0..<cut])) { Issue.record("prefix of \(cut) bytes accepted") }
        }
    }
}
