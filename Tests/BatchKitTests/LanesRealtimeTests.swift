import BatchEmulator
import Foundation
import Synchronization
import Testing
@testable import BatchKit
import TestSupport

/// The real-time executor against the emulator: retries, concurrency bound, resume, result format.
@Suite("Lanes: real-time executor", .serialized)
struct LanesRealtimeTests {
    /// Counts requests in flight through it; optionally "kills the process" after N answers.
    final class CountingTransport: RealtimeTransport {
        struct Killed: Error {}
        let inner: any RealtimeTransport
        let killAfter: Int?
        private let state = Mutex((inFlight: 0, peak: 0, answered: 0))

        init(_ inner: any RealtimeTransport, killAfter: Int? = nil) { self.inner = inner; self.killAfter = killAfter }

        var peak: Int { state.withLock { $0.peak } }

        func post(path: String, body: Data) async throws -> RealtimeReply {
            state.withLock { $0.inFlight += 1; $0.peak = max($0.peak, $0.inFlight) }
            defer { state.withLock { $0.inFlight -= 1 } }
            let reply = try await inner.post(path: path, body: body)
            let answered = state.withLock { $0.answered += 1; return $0.answered }
            if let killAfter, answered > killAfter { throw Killed() }
            return reply
        }
    }

    /// Records the waits the client's retries asked for instead of sleeping.
    final class SleepLog: Sendable {
        let waits = Mutex<[Double]>([])
        var sleeper: RetrySleeper { RetrySleeper { [self] s in waits.withLock { $0.append(s) } } }
    }

    static func client(_ emulator: EmulatorHarness, sleeps: SleepLog) -> OpenAIClient {
        OpenAIClient(options: OpenAIClientOptions(baseURL: emulator.baseURL, apiKey: Secret(emulator.projectKey),
                                                  retry: RetryPolicy(maxRetries: 4, random: { 0 })),
                     sleeper: sleeps.sleeper, clock: emulator.clock)
    }

    static func input(_ fixture: LanesFixture, _ n: Int, url: String = "/v1/chat/completions") -> InputFileSummary {
        let path = fixture.file(lines: (1...n).map { requestLine("rt-\($0)", model: "gpt-4o-mini", url: url, content: "hello \($0)") })
        return try! InputFileValidator().validate(path: path)
    }

    static func embeddingsInput(_ fixture: LanesFixture, _ n: Int) -> InputFileSummary {
        let path = fixture.file(lines: (1...n).map {
            #"{"custom_id":"rt-\#($0)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"hello \#($0)"}}"#
        })
        return try! InputFileValidator().validate(path: path)
    }

    static func resultIDs(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return object["custom_id"] as! String
        }
    }

    @Test(arguments: [(429, 2), (503, nil), (500, nil)] as [(Int, Int?)])
    func retriesThroughFailuresWithinTheConcurrencyBound(status: Int, retryAfter: Int?) async throws {
        let emulator = try await EmulatorHarness.start()
        let fixture = LanesFixture()
        defer { Task { await emulator.stop(); fixture.remove() } }
        // Every matching rule hits a request at once, so one status rule at a time.
        emulator.faults.add(FaultRule(.status(status, retryAfter: retryAfter), endpoint: "POST /v1/chat/completions", count: 3))
        emulator.faults.add(FaultRule(.latency(milliseconds: 30), endpoint: "POST /v1/chat/completions", count: nil))
        let sleeps = SleepLog()
        let counting = CountingTransport(Self.client(emulator, sleeps: sleeps))
        let summary = Self.input(fixture, 24)
        let results = fixture.path("out.jsonl")
        let run = try await RealtimeExecutor(transport: counting, concurrency: 4, clock: emulator.clock, sleeper: sleeps.sleeper)
            .run(summary, resultsPath: results)
        #expect(run.sent == 24)
        #expect(run.succeeded == 24)
        #expect(run.failed == 0)
        let ids = try Self.resultIDs(results)
        #expect(ids.count == 24)
        #expect(Set(ids) == Set((1...24).map { "rt-\($0)" }))
        #expect(counting.peak <= 4)
        #expect(counting.peak >= 2)
        let waits = sleeps.waits.withLock { $0 }
        #expect(waits.count == 3)
        if let retryAfter { #expect(waits.allSatisfy { $0 == Double(retryAfter) }) }   // Retry-After honoured
        #expect(emulator.counters()["POST /v1/chat/completions"] == 24 + 3)
        #expect((run.usageByModel.values.first?.inputTokens ?? 0) > 0)
        // Batch output-line format.
        let first = try JSONSerialization.jsonObject(with: Data(try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")[0].utf8)) as! [String: Any]
        let response = try #require(first["response"] as? [String: Any])
        #expect(response["status_code"] as? Int == 200)
        #expect((response["body"] as? [String: Any])?["choices"] != nil)
        #expect(first["error"] is NSNull)
    }

    @Test func aKilledRunResumesWithoutResending() async throws {
        let emulator = try await EmulatorHarness.start()
        let fixture = LanesFixture()
        defer { Task { await emulator.stop(); fixture.remove() } }
        let sleeps = SleepLog()
        let summary = Self.embeddingsInput(fixture, 20)
        let results = fixture.path("out.jsonl")
        let dying = CountingTransport(Self.client(emulator, sleeps: sleeps), killAfter: 7)
        await #expect(throws: CountingTransport.Killed.self) {
            _ = try await RealtimeExecutor(transport: dying, concurrency: 1, clock: emulator.clock).run(summary, resultsPath: results)
        }
        // A torn line, as if killed mid-write.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: results))
        try handle.seekToEnd(); try handle.write(contentsOf: Data(#"{"id":"batch_req_x","custom_id":"rt-1"#.utf8)); try handle.close()
        let sentBefore = emulator.counters()["POST /v1/embeddings"]

        let run = try await RealtimeExecutor(transport: Self.client(emulator, sleeps: sleeps), concurrency: 3, clock: emulator.clock)
            .run(summary, resultsPath: results)
        #expect(run.failed == 0)
        #expect(run.skipped == 7)
        #expect(run.sent == 13)
        #expect(emulator.counters()["POST /v1/embeddings"] == sentBefore + 13)
        let ids = try Self.resultIDs(results)
        #expect(ids.count == 20)
        #expect(Set(ids).count == 20)
    }

    @Test func aRequestThatKeepsFailingGetsOneErrorLine() async throws {
        let emulator = try await EmulatorHarness.start()
        let fixture = LanesFixture()
        defer { Task { await emulator.stop(); fixture.remove() } }
        emulator.faults.add(FaultRule(.status(400), endpoint: "POST /v1/chat/completions", count: 1))
        let summary = Self.input(fixture, 3)
        let results = fixture.path("out.jsonl")
        let run = try await RealtimeExecutor(transport: Self.client(emulator, sleeps: SleepLog()), concurrency: 1, clock: emulator.clock)
            .run(summary, resultsPath: results)
        #expect(run.failed == 1)
        #expect(run.succeeded == 2)
        let lines = try String(contentsOfFile: results, encoding: .utf8).split(separator: "\n")
        let failed = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .filter { (($0["response"] as? [String: Any])?["status_code"] as? Int) == 400 }
        #expect(failed.count == 1)
    }

    @Test(arguments: [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("1h2m3.5s", 3723.5), ("", nil), ("abc", nil)])
    func rateLimitResetDurations(text: String, seconds: Double?) {
        #expect(RateLimitPacer.duration(text) == seconds)
    }

    @Test func pacerWaitsOnlyWhenTheWindowIsSpent() {
        let clock = ManualClock()
        let pacer = RateLimitPacer(clock: clock)
        #expect(pacer.delay() == 0)
        pacer.observe(["x-ratelimit-remaining-requests": "5", "x-ratelimit-reset-requests": "10s"])
        #expect(pacer.delay() == 0)
        pacer.observe(["x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "10s"])
        #expect(pacer.delay() == 10)
        clock.advance(by: 11)
        #expect(pacer.delay() == 0)
    }
}
