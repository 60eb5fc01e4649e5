import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `batchtop submit --wait` as a real process against a flapping emulator (lost create answers,
/// failing listings): exactly one batch per chunk.
@Suite("Lanes: submit --wait as a process against a flapping provider", .serialized)
final class LanesSubmitProcessTests {
    let dir: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("submit-process")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cfg"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func submitWaitCreatesExactlyOneBatchPerChunkWhileCreatesAndListingsFail() async throws {
        // One simulated hour per real second: batches finish within a second or two.
        let emulator = try await EmulatorHarness.start(configure: { config in
            config.requestFailureRate = 0
            config.clockMode = .accelerated(speed: 3_600)
        })
        defer { Task { await emulator.stop() } }
        try Data("[lanes]\nmax_requests_per_chunk = 2\n".utf8).write(to: dir.appendingPathComponent("cfg/config.toml"))
        let input = dir.appendingPathComponent("input.jsonl")
        try Data(((1...4).map { requestLine("req-\($0)", model: "gpt-4o-mini", content: "question \($0)") }
            .joined(separator: "\n") + "\n").utf8).write(to: input)
        // The first create makes its batch but the answer is lost; then the listing that would find it
        // fails for two whole client calls (3 attempts each with the default max_retries = 2).
        emulator.faults.add(FaultRule(.lostResponse(status: 502), endpoint: "POST /v1/batches", count: 1))
        emulator.faults.add(FaultRule(.status(500), endpoint: "GET /v1/batches", count: 6))

        let (result, timedOut) = try await BatchtopProcess.runAsync(
            ["submit", input.path, "--workload", "flaky", "--lane", "batch", "--wait", "--interval", "1",
             "--db", dir.appendingPathComponent("batchtop.sqlite").path],
            environment: [
                "OPENAI_API_KEY": emulator.projectKey, "OPENAI_BASE_URL": emulator.baseURL.absoluteString,
                "OPENAI_ADMIN_KEY": nil, "OPENAI_PROJECT_ID": nil, "OPENAI_ORG_ID": nil,
                "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path,
                "XDG_DATA_HOME": dir.appendingPathComponent("data").path,
                "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
            ],
            limit: 120)
        #expect(!timedOut, "submit --wait did not finish: \(result.stdout) \(result.stderr)")
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(emulator.counters().batchesCreated == 2, "\(result.stdout)\n\(result.stderr)")
        #expect(emulator.counters()["POST /v1/batches"] == 2)
        let client = OpenAIClient(options: OpenAIClientOptions(baseURL: emulator.baseURL, apiKey: Secret(emulator.projectKey)))
        let tags = try await client.listBatches(after: nil, limit: 100).data.compactMap { $0.metadata[MetadataKey.jobID] }
        #expect(tags.count == 2 && Set(tags).count == 2)
        #expect(result.stdout.contains("submission sub_") && result.stdout.contains(": done"), "\(result.stdout)")
    }
}
