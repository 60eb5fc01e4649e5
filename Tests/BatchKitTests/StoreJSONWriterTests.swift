import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite struct StoreJSONWriterTests {
    static let awkward: [Batch] = {
        var plain = BatchFixtures.batch(1, status: .validating, workload: nil, model: nil)
        plain.completionWindow = "24h"
        var full = BatchFixtures.batch(2, status: .completed, total: 5, completed: 4, failed: 1, outputFileID: "file-o", errorFileID: "file-e")
        full.usage = TokenUsage(inputTokens: 1, cachedInputTokens: 0, outputTokens: -2, reasoningTokens: 9_000_000_000)
        full.errors = [BatchErrorItem(code: nil, message: "line\nbreak\t\u{0}\u{7F} \"q\" \\", param: "p", line: nil)]
        full.metadata = ["z": "last", "a": "first 😀", "ctl": "\u{1B}]0;title\u{7}"]
        var unknown = BatchFixtures.batch(3, status: BatchStatus("paused_for_review"))
        unknown.createdAt = -1
        return [plain, full, unknown]
    }()

    @Test(arguments: awkward)
    func writerOutputDecodesToTheSameBatch(batch: Batch) throws {
        let json = BatchJSONWriter.encode(batch)
        #expect(try JSONDecoder().decode(Batch.self, from: Data(json.utf8)) == batch)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }

    @Test func metadataKeysAreSortedSoEqualBatchesWriteEqualText() {
        var a = BatchFixtures.batch(1, status: .completed)
        a.metadata = Dictionary(uniqueKeysWithValues: (0..<16).map { ("k\($0)", "v\($0)") })
        var b = a
        b.metadata = Dictionary(uniqueKeysWithValues: (0..<16).reversed().map { ("k\($0)", "v\($0)") })
        #expect(BatchJSONWriter.encode(a) == BatchJSONWriter.encode(b))
    }
}
