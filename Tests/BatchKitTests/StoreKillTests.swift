import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// A real crash: the `StoreKillHelper` executable writes sync cycles in a loop and is SIGKILLed at
/// random instants; the database must stay sound and hold exactly one whole cycle each time.
@Suite struct StoreKillTests {
    static let jobs = 1500

    static func helperURL() -> URL? {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [
            exe.deletingLastPathComponent().appendingPathComponent("StoreKillHelper"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("StoreKillHelper"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The last `committed N` the helper printed, or 0.
    static func lastCommitted(_ text: String) -> Int {
        text.split(separator: "\n").reversed().lazy.compactMap { line -> Int? in
            line.hasPrefix("committed ") ? Int(line.dropFirst("committed ".count)) : nil
        }.first ?? 0
    }

    /// (distinct completed counts, the highest, job rows, distinct per-job transition counts).
    static func inspect(_ db: URL) throws -> (Int, Int, Int, Int) {
        try DatabaseQueue(path: db.path).read { d in
            (try Int.fetchOne(d, sql: "SELECT count(DISTINCT completed_requests) FROM jobs")!,
             try Int.fetchOne(d, sql: "SELECT max(completed_requests) FROM jobs")!,
             try Int.fetchOne(d, sql: "SELECT count(*) FROM jobs")!,
             try Int.fetchOne(d, sql: "SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM job_transitions GROUP BY job_id)")!)
        }
    }

    @Test func killedMidWriteLeavesTheLastWholeCycleAndASoundFile() async throws {
        let helper = try #require(Self.helperURL(), "StoreKillHelper not found next to the test binary; run `swift build --build-tests` first")
        let dir = try BatchFixtures.temporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("batchtop.sqlite")
        var previous = 0
        for round in 1...6 {
            let process = Process()
            process.executableURL = helper
            process.arguments = [db.path, String(Self.jobs)]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            // Wait until this run has committed at least one cycle of its own, then kill at a random instant.
            var seen = Data()
            while Self.lastCommitted(String(decoding: seen, as: UTF8.self)) <= previous {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            usleep(UInt32.random(in: 0..<250_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            seen.append(out.fileHandleForReading.readDataToEndOfFile())
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): helper exited by itself: \(stderr)")
            let printed = Self.lastCommitted(String(decoding: seen, as: UTF8.self))
            #expect(printed > previous, "round \(round): helper committed nothing: \(stderr)")

            let store = try BatchStore(url: db)
            #expect(try store.integrityCheck() == ["ok"])
            let (distinctCounts, value, rows, distinctTransitions) = try Self.inspect(db)
            #expect(rows == Self.jobs)
            #expect(distinctCounts == 1, "round \(round): rows from two different cycles")
            #expect(distinctTransitions == 1, "round \(round): transitions from a torn cycle")
            // Everything the helper reported committed is there; at most the cycle it was writing is extra.
            #expect(value == printed || value == printed + 1, "round \(round): db at cycle \(value), helper printed \(printed)")
            previous = value
        }

        // The dead helper's lease is taken over at once (it named a dead process of this machine) and a
        // new poller carries on from the intact state.
        let store = try BatchStore(url: db)
        let api = FakeBatchAPI(batches: (1...Self.jobs).map { BatchFixtures.batch($0, status: .completed, total: 1_000_000, completed: 1_000_000) })
        let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
        let report = try await SyncCycle(api: api, store: store, clock: clock, claimant: .currentProcess()).runOnce()
        #expect(report.role == .poller)
        #expect(report.changes.statusChanges.count == Self.jobs)
        #expect(try store.statusCounts() == [.completed: Self.jobs])
        #expect(try store.integrityCheck() == ["ok"])
    }
}
