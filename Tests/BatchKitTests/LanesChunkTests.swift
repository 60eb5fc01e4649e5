import Foundation
import Testing
@testable import BatchKit

@Suite struct LanesChunkTests {
    static func embeddingLine(_ k: Int) -> String {
        #"{"custom_id":"e-\#(k)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"row \#(k)"}}"#
    }

    @Test(arguments: [
        (49_999, [49_999]),
        (50_000, [50_000]),
        (50_001, [50_000, 1]),
        (100_001, [50_000, 50_000, 1]),
    ])
    func splitsAtTheRequestLimit(lines: Int, expected: [Int]) throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: (0..<lines).map(Self.embeddingLine)))
        #expect(summary.isValid)
        let chunks = try ChunkPlanner().plan(summary)
        #expect(chunks.map(\.requestCount) == expected)
        #expect(chunks.map(\.firstLine) == expected.indices.map { 1 + 50_000 * $0 })
        #expect(chunks.last?.lastLine == lines)
        #expect(chunks.reduce(Int64(0)) { $0 + $1.uploadBytes } == summary.bytes)
        #expect(chunks.reduce(Int64(0)) { $0 + $1.estimatedTokens.value } == summary.estimatedInputTokens.value)
    }

    /// Byte limits placed exactly at, just under and just over the end of line 3 of 6 (uneven lengths).
    @Test(arguments: [
        (0, [3, 3]), (-1, [2, 2, 2]), (1, [3, 3]),
    ] as [(Int64, [Int])])
    func splitsAtTheByteLimitBetweenLines(delta: Int64, expected: [Int]) throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<6).map { requestLine("b\($0)", content: String(repeating: "x", count: [10, 40, 25, 10, 40, 25][$0])) }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        let firstThree = Int64(lines[0..<3].reduce(0) { $0 + $1.utf8.count + 1 })
        let chunks = try ChunkPlanner(limits: ChunkLimits(maxBytes: firstThree + delta)).plan(summary)
        #expect(chunks.map(\.requestCount) == expected)
        #expect(chunks.allSatisfy { $0.uploadBytes <= firstThree + delta })
        #expect(chunks.first?.byteRange.lowerBound == 0)
        #expect(chunks.first?.byteRange.upperBound == summary.index.offsets[expected[0] - 1] + Int64(summary.index.lengths[expected[0] - 1]))
    }

    @Test func tokenCapKeepsEveryChunkAdmittable() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<10).map { requestLine("t\($0)", content: String(repeating: "y", count: 300)) }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        let perLine = Int64(summary.index.tokens[0])
        let chunks = try ChunkPlanner(limits: ChunkLimits(maxEstimatedTokens: perLine * 4)).plan(summary)
        #expect(chunks.map(\.requestCount) == [4, 4, 2])
        #expect(chunks.allSatisfy { $0.estimatedTokens.value <= perLine * 4 && !$0.estimatedTokens.exact })
    }

    @Test func embeddingsChunksStayWithinTheInputLimit() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = (0..<6).map { k in
            let inputs = (0..<[3, 4, 1, 2, 5, 2][k]).map { "\"t\($0)\"" }.joined(separator: ",")
            return #"{"custom_id":"e\#(k)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":[\#(inputs)]}}"#
        }
        let summary = try InputFileValidator(maxEmbeddingInputsPerBatch: 8).validate(path: fixture.file(lines: lines))
        #expect(summary.isValid && summary.embeddingInputs == 17)
        #expect(summary.located == [Located(.overEmbeddingInputLimit, 0)])
        let chunks = try ChunkPlanner(limits: ChunkLimits(maxEmbeddingInputs: 8)).plan(summary)
        #expect(chunks.map(\.requestCount) == [3, 2, 1])
        #expect(chunks.map(\.embeddingInputs) == [8, 7, 2])
        #expect(throws: ChunkPlanError.requestOverInputLimit(line: 5, inputs: 5, limit: 4)) {
            try ChunkPlanner(limits: ChunkLimits(maxEmbeddingInputs: 4)).plan(summary)
        }
        // Other endpoints are not limited by inputs.
        let chat = try InputFileValidator().validate(path: fixture.file(lines: [requestLine("a"), requestLine("b")], name: "chat.jsonl"))
        #expect(try ChunkPlanner(limits: ChunkLimits(maxEmbeddingInputs: 1)).plan(chat).count == 1)
    }

    @Test func oneOversizedRequestIsATypedError() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let lines = [requestLine("a"), requestLine("b", content: String(repeating: "z", count: 500))]
        let summary = try InputFileValidator().validate(path: fixture.file(lines: lines))
        #expect(throws: ChunkPlanError.requestTooLarge(line: 2, bytes: Int64(lines[1].utf8.count + 1), limit: 300)) {
            try ChunkPlanner(limits: ChunkLimits(maxBytes: 300)).plan(summary)
        }
        #expect(throws: ChunkPlanError.invalidLimits("maxRequests must be positive")) {
            try ChunkPlanner(limits: ChunkLimits(maxRequests: 0)).plan(summary)
        }
    }

    @Test func invalidFileIsNotChunked() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let summary = try InputFileValidator().validate(path: fixture.file(lines: [requestLine("a"), requestLine("a")]))
        #expect(throws: ChunkPlanError.self) { try ChunkPlanner().plan(summary) }
    }

    @Test func writtenChunksAreTheNormalizedInputInOrder() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        // BOM, CRLF endings, lines longer than the writer's buffer, no final newline, then trailing blanks.
        var lines = (0..<40).map { requestLine("w\($0)", content: String(repeating: "é", count: ($0 * 397) % 6_000)) }
        lines[7] = requestLine("w7", content: String(repeating: "q", count: 9_000))
        let text = "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n\r\n  \n"
        let source = fixture.file(Array(text.utf8))
        let summary = try InputFileValidator().validate(path: source)
        #expect(summary.isValid)
        let chunks = try ChunkPlanner(limits: ChunkLimits(maxRequests: 15, maxBytes: 60_000)).plan(summary)
        #expect(chunks.count >= 3)
        var joined = Data()
        for chunk in chunks {
            let out = fixture.path("chunk-\(chunk.index).jsonl")
            let written = try ChunkWriter(bufferSize: 4_096).write(chunk, index: summary.index, source: source, destination: out)
            #expect(written == chunk.uploadBytes)
            #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
            let data = try Data(contentsOf: URL(fileURLWithPath: out))
            #expect(Int64(data.count) == chunk.uploadBytes)
            let check = try InputFileValidator().validate(path: out)
            #expect(check.isValid && check.problems.isEmpty && check.requests == chunk.requestCount)
            joined.append(data)
        }
        #expect(joined == Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    @Test func writerRefusesASourceEditedAfterValidation() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let source = fixture.file(lines: [requestLine("a"), requestLine("b")])
        let summary = try InputFileValidator().validate(path: source)
        let chunk = try #require(try ChunkPlanner().plan(summary).first)
        #expect(try ChunkWriter().write(chunk, of: summary, to: fixture.path("ok.jsonl")) == chunk.uploadBytes)
        _ = fixture.file(lines: [requestLine("a"), requestLine("c")])   // same size, new content
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000)], ofItemAtPath: source)
        #expect(throws: InputFileError(.changed, path: source, code: 0)) {
            try ChunkWriter().write(chunk, of: summary, to: fixture.path("stale.jsonl"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("stale.jsonl")))
    }

    @Test func writerFailsCleanlyOnAMissingSource() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let source = fixture.file(lines: [requestLine("a")])
        let summary = try InputFileValidator().validate(path: source)
        let chunk = try #require(try ChunkPlanner().plan(summary).first)
        #expect(throws: InputFileError.self) {
            try ChunkWriter().write(chunk, index: summary.index, source: source, destination: "/nonexistent-dir/out.jsonl")
        }
    }
}
