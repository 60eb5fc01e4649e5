import Foundation
import Testing
@testable import BatchKit

@Suite struct StoreFlatJSONObjectTests {
    @Test(arguments: [
        [:],
        ["workload": "nightly-eval"],
        ["a": "quote \" backslash \\ slash /", "b": "line\nbreak\ttab\r\u{0}\u{1B}[31m\u{7F}"],
        ["emoji": "😀 é 中文", "": "empty key", "k": ""],
        Dictionary(uniqueKeysWithValues: (0..<16).map { ("key\($0)", String(repeating: "v", count: $0 * 30)) }),
    ] as [[String: String]])
    func parsesWhatTheWriterWrites(metadata: [String: String]) {
        #expect(FlatJSONObject.parse(BatchJSONWriter.encodeMetadata(metadata)) == metadata)
    }

    @Test(arguments: [
        (#"{"a":"\u00e9\ud83d\ude00"}"#, ["a": "é😀"]),
        (#" { "a" : "b" , "c":"d" } "#, ["a": "b", "c": "d"]),
        (#"{"a":"\/"}"#, ["a": "/"]),
    ])
    func parsesOtherValidSpellings(json: String, expected: [String: String]) {
        #expect(FlatJSONObject.parse(json) == expected)
    }

    @Test(arguments: [#"{"a":1}"#, #"{"a":"b""#, #"{"a":"\x"}"#, #"{"a":"\ud83d"}"#, #"["a"]"#, #"{"a":"b"} x"#, "", #"{"a":"\u12"}"#])
    func rejectsAnythingElse(json: String) {
        #expect(FlatJSONObject.parse(json) == nil)
    }
}
