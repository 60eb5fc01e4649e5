import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Determinism")
struct DeterminismTests {
    /// Runs the same calls against a fresh emulator and returns everything observable.
    static func world(seed: UInt64) async throws -> [String] {
        var seen: [String] = []
        try await withEmulator(seed: seed) { harness, client async throws in
            let batch = try await client.submit(Lines.chat(25))
            let id = try #require(batch.string("id"))
            _ = try await client.send("GET", "/batches/\(id)")   // extra polls must not change the world
            harness.advance(seconds: 90_000)
            let done = try await client.send("GET", "/batches/\(id)")
            seen.append(done.text)
            let json = done.json
            for key in ["output_file_id", "error_file_id"] {
                if let file = json.string(key) { seen.append(try await client.send("GET", "/files/\(file)/content").text) }
            }
            seen.append(try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "same question"]],
            ]).text)
        }
        return seen
    }

    @Test("same seed, same calls: the same world byte for byte; another seed differs")
    func sameSeedSameWorld() async throws {
        let first = try await Self.world(seed: 7)
        let second = try await Self.world(seed: 7)
        let other = try await Self.world(seed: 8)
        #expect(first.count >= 3)
        #expect(first == second)
        #expect(first[0] != other[0])
    }

    @Test("the demo scenario is the same world for the same seed")
    func demoIsDeterministic() async throws {
        var pages: [String] = []
        for _ in 0..<2 {
            try await withEmulator(scenario: .demo, seed: 3) { _, client async throws in
                pages.append(try await client.send("GET", "/batches?limit=100").text)
            }
        }
        #expect(pages.count == 2 && pages[0] == pages[1])
    }
}
