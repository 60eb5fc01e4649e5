import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `BatchFileLines` (results and resubmit) reads a file as the validator and the spend reader do.
@Suite struct OperationsBatchFileLinesTests {
    /// Found by the JSONL fuzz target (Fuzz/corpus/jsonl/regression-bom-first-line): the validator accepts an input
    /// file that starts with a byte-order mark, but results and resubmit dropped its first request as unreadable.
    @Test func aByteOrderMarkDoesNotHideTheFirstLine() throws {
        let dir = try BatchFixtures.temporaryDirectory("file-lines-bom")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("input.jsonl")
        let text = "\u{FEFF}{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}\n"
            + "{\"custom_id\":\"b\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}\n"
        try Data(text.utf8).write(to: url)
        #expect(try InputFileValidator().validate(path: url.path).isValid)
        let read = try BatchFileLines.read(url)
        #expect(read.lines.map(\.customID) == ["a", "b"])
        #expect(read.skipped == 0)
        #expect(read.lines.first?.bytes.first == UInt8(ascii: "{"))
    }
}
