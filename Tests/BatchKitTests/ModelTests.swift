import Foundation
import Testing
@testable import BatchKit

@Suite struct ModelTests {
    @Test func unknownStatusIsKeptAndNonTerminal() throws {
        let json = #"{"id":"batch_1","status":"paused_for_review","created_at":1}"#
        let batch = try JSONDecoder().decode(Batch.self, from: Data(json.utf8))
        #expect(batch.status.rawValue == "paused_for_review")
        #expect(!batch.status.isTerminal)
        #expect(!batch.status.isKnown)
    }

    @Test func nullAndMissingOptionalFieldsDecode() throws {
        let json = #"{"id":"batch_2","object":"batch","status":"completed","endpoint":"/v1/embeddings","errors":null,"model":null,"usage":null,"metadata":null,"request_counts":null,"created_at":5,"completed_at":9}"#
        let batch = try JSONDecoder().decode(Batch.self, from: Data(json.utf8))
        #expect(batch.status.isTerminal)
        #expect(batch.errors.isEmpty)
        #expect(batch.usage == nil)
        #expect(batch.metadata.isEmpty)
        #expect(batch.requestCounts == RequestCounts())
        #expect(batch.completedAt == 9)
    }

    @Test(arguments: [
        (#"{"input_tokens":10,"input_tokens_details":{"cached_tokens":4},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":1},"total_tokens":13}"#, TokenUsage(inputTokens: 10, cachedInputTokens: 4, outputTokens: 3, reasoningTokens: 1)),
        (#"{"prompt_tokens":7,"completion_tokens":2,"total_tokens":9,"prompt_tokens_details":{"cached_tokens":1}}"#, TokenUsage(inputTokens: 7, cachedInputTokens: 1, outputTokens: 2)),
        (#"{"prompt_tokens":12,"total_tokens":12}"#, TokenUsage(inputTokens: 12)),
    ])
    func usageShapes(json: String, expected: TokenUsage) throws {
        #expect(try JSONDecoder().decode(TokenUsage.self, from: Data(json.utf8)) == expected)
    }

    @Test(arguments: [
        (Int64(0), "$0.00"), (4_999, "$0.00"), (5_000, "$0.01"), (1_234_567, "$1.23"),
        (1_235_000, "$1.24"), (-5_000, "-$0.01"), (100_000_000, "$100.00"),
    ])
    func microDollarsRoundOnlyForDisplay(value: Int64, text: String) {
        #expect(MicroDollars(value).formatted == text)
    }
}
