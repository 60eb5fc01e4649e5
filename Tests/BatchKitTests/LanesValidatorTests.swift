import Foundation
import Testing
@testable import BatchKit

@Suite struct LanesValidatorTests {
    /// A file, the problems expected by kind and line (notices included), and a phrase the first message must say.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var lines: [String]
        var finalNewline = true
        var expected: [Located]
        var says: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "valid file", lines: [requestLine("a"), requestLine("b")], expected: []),
        Case(name: "invalid JSON", lines: [requestLine("a"), #"{"custom_id":"b","method":"POST" "url":"x"}"#, requestLine("c")],
             expected: [Located(.invalidJSON, 2)], says: "expected ',' or '}'"),
        Case(name: "missing custom_id", lines: [requestLine("a"), #"{"method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o"}}"#],
             expected: [Located(.missingCustomID, 2)], says: "missing \"custom_id\""),
        Case(name: "custom_id not a string", lines: [#"{"custom_id":7,"method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o"}}"#],
             expected: [Located(.customIDNotString, 1)], says: "found a number"),
        Case(name: "empty custom_id", lines: [requestLine("")], expected: [Located(.emptyCustomID, 1)]),
        Case(name: "duplicate custom_id names the earlier line", lines: [requestLine("a"), requestLine("b"), requestLine("a")],
             expected: [Located(.duplicateCustomID, 3)], says: "line 1 already uses it"),
        Case(name: "duplicate custom_id through a unicode escape", lines: [requestLine("abc"), requestLine(#"a\u0062c"#)],
             expected: [Located(.duplicateCustomID, 2)], says: "\"abc\""),
        Case(name: "duplicate custom_id: escaped and raw UTF-8 are the same text", lines: [requestLine("caf\u{e9}"), requestLine(#"caf\u00e9"#)],
             expected: [Located(.duplicateCustomID, 2)], says: "\"café\""),
        Case(name: "escaped quotes make distinct ids", lines: [requestLine(#"a\"b"#), requestLine(#"a\\"#), requestLine("a")], expected: []),
        Case(name: "method not POST", lines: [requestLine("a", method: "GET"), requestLine("b", method: "post")],
             expected: [Located(.methodNotPost, 1), Located(.methodNotPost, 2)], says: "\"GET\""),
        Case(name: "missing method", lines: [#"{"custom_id":"a","url":"/v1/embeddings","body":{"model":"m"}}"#],
             expected: [Located(.methodNotPost, 1)], says: "missing \"method\""),
        Case(name: "unsupported url", lines: [requestLine("a", url: "/v1/images/generations")],
             expected: [Located(.unsupportedURL, 1)], says: "not a batch endpoint"),
        Case(name: "missing url", lines: [#"{"custom_id":"a","method":"POST","body":{"model":"m"}}"#], expected: [Located(.missingURL, 1)]),
        Case(name: "url differs from the first line's", lines: [requestLine("a"), requestLine("b"), requestLine("c", url: "/v1/embeddings")],
             expected: [Located(.mixedURL, 3)], says: "used since line 1"),
        Case(name: "missing body", lines: [#"{"custom_id":"a","method":"POST","url":"/v1/responses"}"#], expected: [Located(.missingBody, 1)]),
        Case(name: "body not an object", lines: [#"{"custom_id":"a","method":"POST","url":"/v1/responses","body":[{"model":"m"}]}"#],
             expected: [Located(.bodyNotObject, 1)], says: "found an array"),
        Case(name: "body without model", lines: [#"{"custom_id":"a","method":"POST","url":"/v1/responses","body":{"input":"x"}}"#],
             expected: [Located(.missingModel, 1)]),
        Case(name: "model only in a nested object does not count",
             lines: [#"{"custom_id":"a","method":"POST","url":"/v1/responses","body":{"input":[{"model":"gpt-4o"}],"text":"\"model\":\"x\""}}"#],
             expected: [Located(.missingModel, 1)]),
        Case(name: "model at top level instead of in body",
             lines: [#"{"custom_id":"a","model":"gpt-4o","method":"POST","url":"/v1/responses","body":{"input":"x"}}"#],
             expected: [Located(.missingModel, 1)]),
        Case(name: "model not a string", lines: [#"{"custom_id":"a","method":"POST","url":"/v1/responses","body":{"model":null}}"#],
             expected: [Located(.modelNotString, 1)]),
        Case(name: "mixed models name the first", lines: [requestLine("a"), requestLine("b", model: "gpt-4o-mini")],
             expected: [Located(.mixedModel, 2)], says: "the model the file started with (line 1)"),
        Case(name: "keys inside strings and nested objects are not the request's",
             lines: [#"{"meta":{"custom_id":"x","method":"GET"},"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","messages":[{"role":"user","content":"{\"custom_id\": \"a\", \"url\": \"/v1/x\"}"}]}}"#,
                     requestLine("b")],
             expected: []),
        Case(name: "key spelled with an escape is the same key",
             lines: [#"{"custom\u005fid":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o"}}"#], expected: []),
        Case(name: "duplicate top-level key", lines: [#"{"custom_id":"a","custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o"}}"#],
             expected: [Located(.duplicateKey, 1)], says: "\"custom_id\" appears twice"),
        Case(name: "trailing garbage", lines: [requestLine("a") + " x", requestLine("b") + "}"],
             expected: [Located(.invalidJSON, 1), Located(.invalidJSON, 2)], says: "trailing garbage"),
        Case(name: "truncated last line", lines: [requestLine("a"), String(requestLine("b").dropLast(9))], finalNewline: false,
             expected: [Located(.invalidJSON, 2)], says: "truncated"),
        Case(name: "last line without newline is fine", lines: [requestLine("a"), requestLine("b")], finalNewline: false, expected: []),
        Case(name: "not an object", lines: [#"["custom_id","a"]"#, "42"], expected: [Located(.notAnObject, 1), Located(.notAnObject, 2)]),
        Case(name: "blank lines between requests", lines: [requestLine("a"), "", "  ", requestLine("b"), "", requestLine("c")],
             expected: [Located(.blankLine, 2), Located(.blankLine, 5)], says: "2 blank lines"),
        Case(name: "trailing blank lines are fine", lines: [requestLine("a"), requestLine("b"), "", " "], expected: []),
        Case(name: "a line can break several rules", lines: [#"{"custom_id":1,"method":"GET","url":"/v1/x","body":{}}"#],
             expected: [Located(.customIDNotString, 1), Located(.methodNotPost, 1), Located(.unsupportedURL, 1), Located(.missingModel, 1)]),
        Case(name: "empty file", lines: [], finalNewline: false, expected: [Located(.emptyFile, 0)]),
        Case(name: "only blank lines", lines: ["", ""], expected: [Located(.emptyFile, 0)]),
    ]

    @Test(arguments: cases)
    func reportsEachRuleByLine(_ c: Case) throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: c.lines, finalNewline: c.finalNewline))
        #expect(summary.located == c.expected)
        #expect(summary.isValid == c.expected.allSatisfy { $0.kind.severity == .notice })
        if let says = c.says {
            #expect(summary.problems.first?.message.contains(says) == true, "\(summary.problems.first?.message ?? "no problem")")
        }
    }

    @Test func summaryDescribesAValidFile() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = [requestLine("a"), requestLine("b", content: String(repeating: "x", count: 600))]
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        #expect(summary.isValid)
        #expect(summary.lines == 2 && summary.requests == 2)
        #expect(summary.endpoint == "/v1/chat/completions")
        #expect(summary.model == "gpt-4o")
        #expect(summary.bytes == Int64(lines.joined(separator: "\n").utf8.count + 1))
        #expect(summary.index.offsets == [0, Int64(lines[0].utf8.count + 1)])
        #expect(summary.index.lengths == lines.map { UInt32($0.utf8.count) })
        #expect(summary.index.tokens[1] > summary.index.tokens[0] + 100)
        #expect(summary.estimatedInputTokens == TokenCount(value: Int64(summary.index.tokens.reduce(0) { $0 + Int($1) }), exact: false))
    }

    @Test func crlfAndByteOrderMarkAreNoticesNotErrors() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let text = "\u{FEFF}" + requestLine("a") + "\r\n" + requestLine("b") + "\r\n"
        let summary = try InputFileValidator().validate(path: fixture.file(Array(text.utf8)))
        #expect(summary.isValid)
        #expect(summary.located == [Located(.byteOrderMark, 1), Located(.crlfLineEndings, 0)])
        #expect(summary.hasByteOrderMark && summary.crlfLines == 2)
        #expect(summary.index.offsets[0] == 3)
        #expect(summary.index.lengths[0] == UInt32(requestLine("a").utf8.count))
    }

    @Test func utf16IsRejectedOnce() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in requestLine("a").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let summary = try InputFileValidator().validate(path: fixture.file(bytes))
        #expect(summary.located == [Located(.notUTF8, 1)])
        #expect(summary.problems[0].message.contains("UTF-16"))
    }

    @Test(arguments: [
        [0xC3, 0x28],        // 2-byte sequence cut short
        [0xE9],              // Latin-1 é
        [0xED, 0xA0, 0x80],  // UTF-8-encoded surrogate
        [0xC0, 0xAF],        // overlong '/'
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
    ] as [[UInt8]])
    func nonUTF8InsideAStringIsLocated(bad: [UInt8]) throws {
        let says = "byte 0x\(String(bad[0], radix: 16, uppercase: true))"
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let prefix = Array(#"{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","input":"ok "#.utf8)
        let bytes = Array((requestLine("z") + "\n").utf8) + prefix + bad + Array("\"}}\n".utf8)
        let summary = try InputFileValidator().validate(path: fixture.file(bytes))
        #expect(summary.located == [Located(.notUTF8, 2)])
        #expect(summary.problems[0].column == prefix.count + 1)
        #expect(summary.problems[0].message.contains(says))
    }

    @Test func reportIsCappedButCountsEverything() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<2_500).map { "{\"custom_id\":\"\($0)\"" }   // every line truncated
        let summary = try InputFileValidator(maxReportedProblems: 1_000).validate(path: fixture.file(lines: lines))
        #expect(summary.problems.count == 1_000)
        #expect(summary.problemCount == 2_500 && summary.errorCount == 2_500)
        #expect(summary.omittedProblems == 1_500)
        #expect(summary.countsByKind[.invalidJSON] == 2_500)
        #expect(summary.problems.last?.line == 1_000)
    }

    @Test func reportSaysWhatTheCapLeftOut() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = [requestLine("a")] + (0..<5).map { _ in requestLine("a") } + [requestLine("b", method: "GET")]
        let summary = try InputFileValidator(maxReportedProblems: 2).validate(path: fixture.file(lines: lines))
        let report = InputFileReport(summary)
        #expect(report.textLines.count == 4)
        #expect(report.headline.hasSuffix("6 errors; nothing will be uploaded"))
        #expect(report.textLines[1].hasPrefix("  line 2: error: duplicate \"custom_id\""))
        #expect(report.textLines[3] == "  ... and 4 more problems not shown (all found: duplicate_custom_id 5, method_not_post 1)")
        let decoded = try JSONDecoder().decode(InputFileReport.self, from: JSONEncoder().encode(report))
        #expect(decoded == report)
    }

    @Test func overTheBatchLimitsIsANotice() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<5).map { requestLine("r\($0)") }
        let validator = InputFileValidator(maxRequestsPerBatch: 3, maxBytesPerBatch: 200)
        let summary = try validator.validate(path: fixture.file(lines: lines))
        #expect(summary.isValid)
        #expect(summary.located == [Located(.overRequestLimit, 0), Located(.overByteLimit, 0)])
        #expect(summary.problems[0].message.contains("splits"))
    }

    @Test func tinyReadBuffersGiveTheSameAnswer() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        var lines = (0..<200).map { requestLine("id-\($0)", content: String(repeating: "é", count: $0 % 90)) }
        lines[57] = requestLine("id-3")          // duplicate
        lines[120] = String(lines[120].dropLast()) // truncated
        let path = fixture.file(lines: lines)
        let big = try InputFileValidator().validate(path: path)
        let small = try InputFileValidator(readSize: 64).validate(path: path)
        #expect(big == small)
        #expect(big.located == [Located(.duplicateCustomID, 58), Located(.invalidJSON, 121)])
    }

    @Test func overlongLineIsReportedAndSkipped() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = [requestLine("a"), requestLine("b", content: String(repeating: "x", count: 5_000)), requestLine("c"), requestLine("a")]
        let validator = InputFileValidator(maxLineBytes: 2_048, readSize: 256)
        let summary = try validator.validate(path: fixture.file(lines: lines))
        #expect(summary.located == [Located(.lineTooLong, 2), Located(.duplicateCustomID, 4)])
        #expect(summary.problems[1].message.contains("line 1"))
        #expect(summary.requests == 4)
    }

    /// A line of exactly `maxLineBytes` bytes (a `\r` counted) is within the limit, one byte more is not. Found by the
    /// JSONL fuzz target: the first was reported as "1024 bytes, longer than the 1024-byte limit".
    @Test func aLineOfExactlyTheLimitIsRead() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        func line(_ id: String, length: Int) -> String {
            requestLine(id, content: String(repeating: "x", count: length - requestLine(id, content: "").utf8.count))
        }
        let validator = InputFileValidator(maxLineBytes: 1024, readSize: 64)
        let exact = [line("a", length: 1024), line("b", length: 1025), line("c", length: 1024)]
        #expect(exact.map(\.utf8.count) == [1024, 1025, 1024])
        let summary = try validator.validate(path: fixture.file(lines: exact))
        #expect(summary.located == [Located(.lineTooLong, 2)])
        #expect(summary.problems.first?.message.contains("1025 bytes, longer than the 1024-byte limit") == true)
        // With CRLF the `\r` is part of the line: 1023 bytes and `\r` fit, 1024 and `\r` do not.
        let crlf = Array((line("a", length: 1023) + "\r\n" + line("b", length: 1024) + "\r\n").utf8)
        let withCR = try validator.validate(path: fixture.file(crlf, name: "crlf.jsonl"))
        #expect(withCR.located == [Located(.lineTooLong, 2), Located(.crlfLineEndings, 0)])
        // The file's end stands in for the last newline.
        let last = try validator.validate(path: fixture.file(lines: [line("a", length: 1024)], finalNewline: false, name: "last.jsonl"))
        #expect(last.isValid)
    }

    @Test func duplicateAfterBlankLinesNamesTheRightLine() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = [requestLine("a"), "", "", requestLine("b"), requestLine("b")]
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        #expect(summary.located == [Located(.blankLine, 2), Located(.duplicateCustomID, 5)])
        #expect(summary.problems[1].message.contains("line 4 already"))
    }

    @Test func missingFileIsATypedError() {
        #expect(throws: InputFileError.self) { try InputFileValidator().validate(path: "/nonexistent/batch.jsonl") }
    }
}
