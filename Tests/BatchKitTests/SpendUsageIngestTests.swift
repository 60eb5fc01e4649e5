import Foundation
import Testing
@testable import BatchKit

@Suite struct SpendUsageIngestTests {
    static func read(_ lines: [String], fallback: String? = nil) -> UsageIngestReport {
        UsageIngest.read(bytes: Array(lines.joined(separator: "\n").utf8), fallbackModel: fallback)
    }

    static let chatLine = #"{"id":"batch_req_1","custom_id":"a","response":{"status_code":200,"request_id":"r1","body":{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":10,"audio_tokens":0}}}},"error":null}"#
    static let responsesLine = #"{"id":"batch_req_2","custom_id":"b","response":{"status_code":200,"request_id":"r2","body":{"id":"resp_1","object":"response","model":"gpt-5-2025-08-07","output":[{"type":"message","content":[{"type":"output_text","text":"ok"}]}],"usage":{"input_tokens":500,"input_tokens_details":{"cached_tokens":256},"output_tokens":90,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":590}}},"error":null}"#
    static let embeddingsLine = #"{"id":"batch_req_3","custom_id":"c","response":{"status_code":200,"request_id":"r3","body":{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023,-0.0091,1e-05]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}},"error":null}"#

    @Test(arguments: [
        (chatLine, "gpt-4o-mini-2024-07-18", TokenUsage(inputTokens: 120, cachedInputTokens: 64, outputTokens: 30, reasoningTokens: 10), UsageShape.chatCompletions),
        (responsesLine, "gpt-5-2025-08-07", TokenUsage(inputTokens: 500, cachedInputTokens: 256, outputTokens: 90, reasoningTokens: 64), .responses),
        (embeddingsLine, "text-embedding-3-small", TokenUsage(inputTokens: 8), .embeddings),
    ])
    func eachUsageShapeIsRead(line: String, model: String, usage: TokenUsage, shape: UsageShape) {
        let report = Self.read([line])
        #expect(report.lines == 1)
        #expect(report.succeeded == 1)
        #expect(report.usageByModel == [model: ModelUsage(usage: usage, requests: 1)])
        #expect(report.shapes == [shape: 1])
    }

    @Test func usageIsSummedPerModelAcrossShapes() {
        let report = Self.read([Self.chatLine, Self.responsesLine, Self.chatLine, Self.embeddingsLine, ""])
        #expect(report.lines == 4)
        #expect(report.succeeded == 4)
        #expect(report.usageByModel["gpt-4o-mini-2024-07-18"] == ModelUsage(usage: TokenUsage(inputTokens: 240, cachedInputTokens: 128, outputTokens: 60, reasoningTokens: 20), requests: 2))
        #expect(report.totalUsage.inputTokens == 240 + 500 + 8)
        #expect(report.shapes == [.chatCompletions: 2, .responses: 1, .embeddings: 1])
    }

    @Test func hostileContentDoesNotFoolTheScanner() {
        // Message text and nested objects carry `usage` and `model` keys; only response.body's count.
        let line = #"""
        {"id":"x","custom_id":"he said \"usage\": {\"prompt_tokens\": 999} \\","response":{"status_code":200,"body":{"choices":[{"message":{"content":"\"usage\":{\"prompt_tokens\":1000000},\"model\":\"o1\" \\\\\"} ] {","tool_calls":[{"function":{"arguments":{"usage":{"prompt_tokens":777},"model":"o1"}}}]}}],"metadata":{"usage":{"input_tokens":555}},"model":"gpt-4.1-nano-2025-04-14","usage":{"prompt_tokens":11,"completion_tokens":2,"total_tokens":13,"note":"usage: {\"prompt_tokens\": 5}"}}},"error":null}
        """#
        let report = Self.read([line])
        #expect(report.unreadable == 0, "\(report.unreadableSamples)")
        #expect(report.usageByModel == ["gpt-4.1-nano-2025-04-14": ModelUsage(usage: TokenUsage(inputTokens: 11, outputTokens: 2), requests: 1)])
    }

    @Test func keyOrderEscapesWhitespaceAndLineEndingsAreHandled() {
        let lines = [
            // usage before model, pretty spacing, CRLF, a BOM, escaped key and escaped model name.
            "\u{FEFF}{ \"response\" : { \"body\" : { \"us\\u0061ge\" : { \"input_tokens\" : 7 , \"output_tokens\" : 3 } , \"model\" : \"gpt-4o-mini\\u002d2024-07-18\" } , \"status_code\" : 200 } , \"error\" : null }\r",
            "   ",
            #"{"response":{"status_code":200,"body":{"model":"caf\u00e9-\ud83d\ude00","usage":{"prompt_tokens":1}}},"error":null}"#,
        ]
        let report = Self.read(lines)
        #expect(report.lines == 2)
        #expect(report.unreadable == 0, "\(report.unreadableSamples)")
        #expect(report.usageByModel["gpt-4o-mini-2024-07-18"]?.usage == TokenUsage(inputTokens: 7, outputTokens: 3))
        #expect(report.usageByModel["café-😀"]?.usage == TokenUsage(inputTokens: 1))
    }

    @Test func theFirstMessageOfEachCodeIsKeptAsItsExample() {
        let long = String(repeating: "x", count: 500)
        let report = Self.read([
            #"{"id":"e1","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}"#,
            #"{"id":"e2","response":null,"error":{"code":"batch_expired","message":"a later one"}}"#,
            #"{"id":"e3","response":{"status_code":429,"body":{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}},"error":null}"#,
            #"{"id":"e4","response":null,"error":{"code":"too_long","message":"\#(long)"}}"#,
            #"{"id":"e5","response":{"status_code":500,"body":"oops"},"error":null}"#,
        ])
        #expect(report.failuresByCode == ["batch_expired": 2, "rate_limit_exceeded": 1, "too_long": 1, "http_500": 1])
        #expect(report.failureExamples["batch_expired"] == "This request could not be executed before the completion window expired.")
        #expect(report.failureExamples["rate_limit_exceeded"] == "Rate limit reached")
        #expect(report.failureExamples["too_long"]?.count == 300)
        #expect(report.failureExamples["http_500"] == nil, "no message, no example")
    }

    @Test(arguments: [
        (#"{"id":"e1","response":null,"error":{"code":"batch_expired","message":"expired"}}"#, "batch_expired"),
        (#"{"id":"e2","response":{"status_code":429,"body":{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}},"error":null}"#, "rate_limit_exceeded"),
        (#"{"id":"e3","response":{"status_code":400,"body":{"error":{"message":"bad","type":"invalid_request_error","param":null,"code":null}}},"error":null}"#, "invalid_request_error"),
        (#"{"id":"e4","response":{"status_code":500,"body":"oops"},"error":null}"#, "http_500"),
        (#"{"id":"e5","response":null,"error":null}"#, "no_response"),
        (#"{"id":"e6","error":{"message":"no code"}}"#, "unknown_error"),
        (#"{"id":"e7","response":{"status_code":200,"body":{}},"error":{"code":"request_timeout"}}"#, "request_timeout"),
    ])
    func errorLinesAreCountedByCode(line: String, code: String) {
        let report = Self.read([line, Self.chatLine])
        #expect(report.failed == 1)
        #expect(report.succeeded == 1)
        #expect(report.failuresByCode == [code: 1])
        #expect(report.unreadable == 0)
    }

    @Test(arguments: [
        String(chatLine.prefix(chatLine.count / 2)),   // truncated mid-content
        String(chatLine.dropLast()),                   // missing final brace
        #"{"id":"x","response":{"status_code":200,"body":{"usage":{"prompt_tokens":12.5}}}}"#,
        #"{"id":"x","response":{"status_code":200,"body":{"usage":{"prompt_tokens":-3}}}}"#,
        #"{"id":"x","response":{"status_code":200,"body":{"usage":{"prompt_tokens":123456789012345678901}}}}"#,
        #"{"id":"x","response":"nope"}"#,
        #"{"id":"x",}"#,
        #"{"id":"x" "response":null}"#,
        #"{"id":"x"} trailing"#,
        #"[1,2,3]"#,
        "not json at all",
        #"{"id":"unterminated"#,
        #"{"id":"x","response":{"status_code":200,"body":{"model":"a\qb","usage":{"prompt_tokens":1}}}}"#,
    ])
    func malformedLinesAreCountedNotFatal(bad: String) {
        let report = Self.read([Self.chatLine, bad, Self.responsesLine])
        #expect(report.lines == 3)
        #expect(report.unreadable == 1)
        #expect(report.succeeded == 2, "the lines around a bad one are still read")
        #expect(report.unreadableSamples.first?.line == 2)
        #expect(report.lines == report.succeeded + report.failed + report.unreadable)
    }

    @Test func missingModelUsesTheFallbackOrStaysUnpriced() throws {
        let line = #"{"response":{"status_code":200,"body":{"usage":{"prompt_tokens":5,"completion_tokens":1}}},"error":null}"#
        #expect(Self.read([line], fallback: "gpt-4o-mini").usageByModel.keys.sorted() == ["gpt-4o-mini"])
        let report = Self.read([line])
        #expect(report.usageByModel.keys.sorted() == [UsageIngestReport.unknownModel])
        let priced = try PriceTable.shippedDefault().price(report.totalUsage, model: UsageIngestReport.unknownModel, lane: .batch)
        #expect(!priced.isPriced)
    }

    @Test func successWithoutUsageIsCounted() {
        let line = #"{"response":{"status_code":200,"body":{"model":"gpt-4o","usage":null}},"error":null}"#
        let report = Self.read([line])
        #expect(report.succeeded == 1)
        #expect(report.succeededWithoutUsage == 1)
        #expect(report.usageByModel.isEmpty)
    }

    // MARK: - File reader

    static func tempFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString).jsonl")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test(arguments: [16, 37, 256, 4 << 20])
    func fileReaderMatchesInMemoryReadingForAnyChunkSize(chunk: Int) throws {
        let lines = [Self.chatLine, Self.embeddingsLine, "", String(Self.chatLine.prefix(40)), Self.responsesLine,
                     #"{"response":null,"error":{"code":"batch_cancelled"}}"#, Self.chatLine]
        let text = lines.joined(separator: "\n")   // no trailing newline: the last line still counts
        let url = try Self.tempFile(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let fromFile = try UsageIngest.read(fileAt: url.path, chunkBytes: chunk)
        let inMemory = UsageIngest.read(bytes: Array(text.utf8))
        #expect(fromFile == inMemory)
        #expect(fromFile.lines == 6)
        #expect(fromFile.succeeded == 4)
        #expect(fromFile.failed == 1)
        #expect(fromFile.unreadable == 1)
        #expect(fromFile.unreadableSamples.first?.line == 4)
        #expect(fromFile.bytes == Int64(text.utf8.count))
    }

    @Test func linesLongerThanTheLimitAreSkippedAndCounted() throws {
        let long = #"{"id":"x","custom_id":""# + String(repeating: "y", count: 5000) + #"","response":null,"error":null}"#
        let text = [Self.chatLine, long, Self.responsesLine, long].joined(separator: "\n") + "\n"
        let url = try Self.tempFile(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try UsageIngest.read(fileAt: url.path, chunkBytes: 64, maxLineBytes: 1024)
        #expect(report.lines == 4)
        #expect(report.succeeded == 2)
        #expect(report.oversized == 2)
        #expect(report.unreadable == 2)
        #expect(report.unreadableSamples.map(\.line) == [2, 4])
        // With room to grow, the same long lines are read.
        let roomy = try UsageIngest.read(fileAt: url.path, chunkBytes: 64, maxLineBytes: 1 << 20)
        #expect(roomy.unreadable == 0)
        #expect(roomy.failuresByCode == ["no_response": 2])
    }

    /// A line of exactly `maxLineBytes` bytes is read, one byte more is oversized (the same off-by-one the JSONL
    /// fuzz target found in the input validator).
    @Test func aLineOfExactlyTheLimitIsRead() throws {
        let prefix = #"{"id":"x","custom_id":""#, suffix = #"","response":null,"error":null}"#
        func line(_ length: Int) -> String { prefix + String(repeating: "y", count: length - prefix.count - suffix.count) + suffix }
        let text = [line(256), line(257), line(256)].joined(separator: "\n")
        let url = try Self.tempFile(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try UsageIngest.read(fileAt: url.path, chunkBytes: 16, maxLineBytes: 256)
        #expect(report.lines == 3)
        #expect(report.oversized == 1)
        #expect(report.unreadableSamples.map(\.line) == [2])
        #expect(report.failuresByCode == ["no_response": 2])
    }

    @Test func missingFileIsATypedError() {
        do {
            _ = try UsageIngest.read(fileAt: "/nonexistent/output.jsonl")
            Issue.record("no error")
        } catch {
            #expect(error.path == "/nonexistent/output.jsonl")
            #expect(error.errno == ENOENT)
        }
    }

    // MARK: - Differential check against Foundation's JSON parser

    @Test func agreesWithJSONSerializationOnRandomHostileLines() throws {
        var rng = SplitMix64(seed: 6)
        let pieces = ["\"", "\\", "\\\"", "{", "}", "[", "]", ":", ",", "\"usage\":", "{\"prompt_tokens\":9}", "model", "é", "😀", "\n", "\t", "\u{0}", " "]
        func noise() -> String { (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined() }
        var lines: [String] = []
        for i in 0..<300 {
            let n = Int64(rng.next() % 5000)
            let usage: [String: Any]
            switch i % 3 {
            case 0: usage = ["prompt_tokens": n, "completion_tokens": n / 3, "total_tokens": n + n / 3, "prompt_tokens_details": ["cached_tokens": n / 4], "completion_tokens_details": ["reasoning_tokens": n / 9]]
            case 1: usage = ["input_tokens": n, "output_tokens": n / 2, "input_tokens_details": ["cached_tokens": n / 5], "output_tokens_details": ["reasoning_tokens": n / 7], "x" + noise(): noise()]
            default: usage = ["prompt_tokens": n, "total_tokens": n]
            }
            let body: [String: Any] = ["model": "m\(i % 4)" + noise(), "choices": [["message": ["content": noise(), "x" + noise(): ["usage": ["prompt_tokens": 1]]]]], "usage": usage, "x" + noise(): noise()]
            let line: [String: Any] = ["custom_id": noise(), "response": ["status_code": 200, "body": body], "error": NSNull()]
            let data = try JSONSerialization.data(withJSONObject: line)
            lines.append(String(decoding: data, as: UTF8.self))
        }
        let report = Self.read(lines)
        #expect(report.unreadable == 0, "\(report.unreadableSamples.prefix(3))")
        // Expected figures from Foundation's parser and the shared TokenUsage decoder.
        var expected: [String: TokenUsage] = [:]
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let body = try #require((object["response"] as? [String: Any])?["body"] as? [String: Any])
            let model = try #require(body["model"] as? String)
            let usage = try JSONDecoder().decode(TokenUsage.self, from: JSONSerialization.data(withJSONObject: try #require(body["usage"])))
            expected[model, default: TokenUsage()] = expected[model, default: TokenUsage()] + usage
        }
        let got = report.tokensByModel
        let wrong = expected.keys.sorted().filter { got[$0] != expected[$0] }
        #expect(got.count == expected.count)
        #expect(wrong.isEmpty, "\(wrong.count) models differ, first: \(wrong.first.map { "\($0.debugDescription): \(String(describing: got[$0])) vs \(String(describing: expected[$0]))" } ?? "")")
    }
}

/// A small seeded generator so the differential test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SpendHostileFigureTests {
    @Test func hugeTokenCountsSaturateInsteadOfCrashing() throws {
        let line = #"{"response":{"status_code":200,"body":{"model":"gpt-4o","usage":{"prompt_tokens":999999999999999999,"completion_tokens":999999999999999999}}},"error":null}"#
        let report = UsageIngest.read(bytes: Array(Array(repeating: line, count: 20).joined(separator: "\n").utf8))
        #expect(report.succeeded == 20)
        #expect(report.totalUsage.inputTokens == Int64.max)
        let cost = try #require(try PriceTable.shippedDefault().price(report.totalUsage, model: "gpt-4o", lane: .realtime).cost)
        #expect(cost.total == MicroDollars(Int64.max))
        let savings = Savings.of(batchUsage: report.tokensByModel, prices: try PriceTable.shippedDefault())
        #expect(savings.realtimeEquivalent == MicroDollars(Int64.max))
        #expect(TokenRate(microDollarsPerMillion: -1_500_000).description == "-$1.50/1M")
    }
}
