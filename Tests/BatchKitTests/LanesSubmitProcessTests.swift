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

    /// Runs batchtop to completion or kills it after `limit` seconds (then `timedOut` is true).
    func run(_ arguments: [String], environment: [String: String?], limit: TimeInterval) throws
        -> (status: Int32, out: String, err: String, timedOut: Bool)
    {
        let p = try BatchtopProcess.process(arguments, environment: environment)
        let outURL = dir.appendingPathComponent("out-\(UUID().uuidString).txt")
        let errURL = dir.appendingPathComponent("err-\(UUID().uuidString).txt")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let timedOut = p.isRunning
        if timedOut { p.terminate(); p.waitUntilExit() } else { p.waitUntilExit() }
        return (p.terminationStatus, (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut)
    }

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

        let result = try run(
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
        #expect(!result.timedOut, "submit --wait did not finish: \(result.out) \(result.err)")
        #expect(result.status == 0, "\(result.out)\n\(result.err)")
        #expect(emulator.counters().batchesCreated == 2, "\(result.out)\n\(result.err)")
        #expect(emulator.counters()["POST /v1/batches"] == 2)
        let client = OpenAIClient(options: OpenAIClientOptions(baseURL: emulator.baseURL, apiKey: Secret(emulator.projectKey)))
        let tags = try await client.listBatches(after: nil, limit: 100).data.compactMap { $0.metadata[MetadataKey.jobID] }
        #expect(tags.count == 2 && Set(tags).count == 2)
        #expect(result.out.contains("submission sub_") && result.out.contains(": done"), "\(result.out)")
    }
}
