import ArgumentParser
import BatchKit
import Foundation
import Testing
@testable import batchtop

/// `batchtop submit` as a person runs it: an invalid file fails before anything is stored or sent.
@Suite struct SubmitCommandTests {
    @Test func anInvalidFileExitsNonZeroAndStoresNothing() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("submit-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("bad.jsonl")
        try Data("""
            {"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}
            {"custom_id":"a","method":"GET","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}

            """.utf8).write(to: input)
        let config = dir.appendingPathComponent("config.toml")
        // An unreachable base URL: if anything were sent, the command would fail differently.
        try Data("[api]\nbase_url = \"http://127.0.0.1:9/v1\"\n".utf8).write(to: config)
        let db = dir.appendingPathComponent("db.sqlite")
        let command = try #require(try SubmitCommand.parseAsRoot(
            [input.path, "--workload", "w", "--lane", "batch", "--db", db.path, "--config", config.path]) as? SubmitCommand)
        await #expect(throws: ExitCode(1)) { try await command.run() }
        #expect(try BatchStore(url: db).submissions().isEmpty)
    }

    @Test(arguments: [("+6h", 1_000 + 21_600), ("90m", 1_000 + 5_400), ("1767225600", 1_767_225_600), ("2026-01-01T00:00:00Z", 1_767_225_600)])
    func deadlines(text: String, expected: Int64) throws {
        #expect(try DeadlineArgument.parse(text, now: 1_000) == expected)
    }

    @Test func badDeadlineIsExplained() {
        #expect(throws: CommandFailure.self) { try DeadlineArgument.parse("soonish", now: 0) }
    }
}

@Suite struct QueueSparklineTests {
    @Test(arguments: [([0, 7], 10, "▁█"), ([1, 1, 1], 10, "███"), ([0, 2, 4, 8], 2, "▂█"), ([0, 0], 5, "▁▁")])
    func sparkline(values: [Int], width: Int, expected: String) {
        #expect(QueueCommand.sparkline(values, width: width) == expected)
    }
}
