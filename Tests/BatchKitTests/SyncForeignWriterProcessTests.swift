import BatchEmulator
import Foundation
import GRDB
import Synchronization
import Testing
import TestSupport
@testable import BatchKit

/// A resident `batchtop sync` keeps polling while other processes write to its database.
///
/// Before the fix the poller's writer connection kept a read transaction open after its first cycle,
/// and the first foreign write made every later cycle fail with "database is locked" for good.
/// `BATCHTOP_FOREIGN_WRITE_SECONDS` sets how long writers run (default 10 s; run for minutes by hand).
@Suite(.serialized) struct SyncForeignWriterProcessTests {
    /// A world with live batches, and the environment every `batchtop` process of the test gets.
    final class World: Sendable {
        let harness: EmulatorHarness
        let dir: URL
        let db: URL
        let environment: [String: String?]

        init() async throws {
            harness = try await EmulatorHarness.start(scenario: .demo, configure: { $0.requestFailureRate = 0 })
            dir = try BatchFixtures.temporaryDirectory("foreign-writers")
            db = dir.appendingPathComponent("batchtop.sqlite")
            environment = [
                "OPENAI_BASE_URL": harness.baseURL.absoluteString, "OPENAI_API_KEY": harness.projectKey, "USER": "ana",
                "OPENAI_ADMIN_KEY": nil, "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path,
                "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
            ]
        }

        /// `batchtop ARGS --db DB`, started; output goes to files in the world's directory.
        func start(_ arguments: [String], name: String) throws -> Resident {
            let p = try BatchtopProcess.process(arguments + ["--db", db.path], environment: environment)
            let out = dir.appendingPathComponent("\(name).out"), err = dir.appendingPathComponent("\(name).err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: out)
            p.standardError = try FileHandle(forWritingTo: err)
            try p.run()
            return Resident(process: p, stdout: out, stderr: err)
        }

        /// `batchtop ARGS --db DB` to completion (at most 60 s), waiting without blocking a pool thread.
        func run(_ arguments: [String]) async throws -> BatchtopProcess.Run {
            let (run, timedOut) = try await BatchtopProcess.runAsync(arguments + ["--db", db.path], environment: environment, limit: 60)
            #expect(!timedOut, "batchtop \(arguments.joined(separator: " ")) did not finish within 60 s")
            return run
        }

        /// The test's own reader of the database, opened once the poller has created it.
        private let reader = Mutex<BatchStore?>(nil)

        /// The sync state as a reader sees it now.
        func freshness() throws -> SyncFreshness {
            let store = try reader.withLock { r -> BatchStore in
                if let r { return r }
                // Only once the poller has migrated it, so two processes never race to create the schema.
                guard try SyncLeaseKillTests.schemaIsReady(db) else { throw CocoaError(.fileReadNoSuchFile) }
                let opened = try BatchStore.openExisting(url: db)
                r = opened
                return opened
            }
            return try store.freshness()
        }

        func stop() async {
            await harness.stop()
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// A running `batchtop` process and where its output goes.
    struct Resident {
        let process: Process
        let stdout: URL
        let stderr: URL
        var errors: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
        var output: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }

        /// Ends it (SIGTERM: an orderly exit that hands the lease back), waiting at most 10 s, then SIGKILL.
        func terminate() async {
            guard process.isRunning else { return }
            process.terminate()
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            while process.isRunning { try? await Task.sleep(nanoseconds: 20_000_000) }
            process.waitUntilExit()
        }
    }

    static var writerSeconds: Double {
        ProcessInfo.processInfo.environment["BATCHTOP_FOREIGN_WRITE_SECONDS"].flatMap(Double.init) ?? 10
    }

    /// Polls `condition` every 100 ms for at most `seconds`; true when it held. Waits with `Task.sleep`,
    /// why: the emulator serves on the cooperative pool (see `BatchtopProcess.runAsync`).
    static func eventually(within seconds: Double, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return try condition()
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    @Test("a resident poller keeps committing cycles while every kind of writer writes")
    func aResidentPollerKeepsPollingWhileOthersWrite() async throws {
        let world = try await World()
        var poller: Resident?
        do {
            poller = try world.start(["sync"], name: "poller")
            #expect(await Self.eventually(within: 60) { (try? world.freshness().lastSuccessAt) != nil }, "the poller never finished a first cycle")
            let finished = try #require(try BatchStore(url: world.db).jobSummaries(JobFilter()).first { $0.status == .completed }?.id,
                                        "the demo world has a completed batch")
            let raw = try DatabaseQueue(path: world.db.path)
            let writers: [(name: String, write: (Int) async throws -> Void)] = [
                ("reclassify", { n in
                    let r = try await world.run(["reclassify", "--workload", "nightly-eval", "--lane", "realtime", "--reason", "probe \(n)"])
                    #expect(r.status == 0, "reclassify: \(r.stderr)")
                }),
                ("refused cancel", { _ in
                    let r = try await world.run(["cancel", finished])
                    #expect(!r.stderr.contains("database is locked"), "cancel: \(r.stderr)")
                }),
                ("raw sqlite write", { n in
                    try raw.write { db in
                        try db.execute(sql: "CREATE TABLE IF NOT EXISTS poke(a)")
                        try db.execute(sql: "INSERT INTO poke VALUES (?)", arguments: [n])
                    }
                }),
                ("second poller", { _ in
                    let r = try await world.run(["sync", "--once"])
                    #expect(r.status == 0, "sync --once: \(r.stderr)")
                }),
                ("advisor", { _ in
                    let r = try await world.run(["decisions", "advise"])
                    #expect(!r.stderr.contains("database is locked"), "decisions advise: \(r.stderr)")
                }),
            ]
            let end = Date().addingTimeInterval(Self.writerSeconds)
            var n = 0
            var writes: [(name: String, at: Int64)] = []
            var successes = Set<Int64>()
            // At least one write of each kind, then on until the time is up.
            while n < writers.count || Date() < end {
                let writer = writers[n % writers.count]
                world.harness.advance(seconds: 120)
                try await writer.write(n)
                writes.append((writer.name, Self.now()))
                n += 1
                // Sample the poller's successes for 2 s before the next writer.
                let next = Date().addingTimeInterval(2)
                while Date() < next {
                    if let s = try? world.freshness().lastSuccessAt { successes.insert(s) }
                    try await Task.sleep(nanoseconds: 200_000_000)
                }
            }
            // The poller commits after the last write too (its interval is 5 s while jobs are active).
            let last = try #require(writes.last).at
            #expect(await Self.eventually(within: 60) {
                if let s = try? world.freshness().lastSuccessAt { successes.insert(s) }
                return successes.contains { $0 > last }
            }, "no cycle committed after the last write")
            // Every write, of every kind, was followed by a committed cycle of the resident poller.
            for write in writes {
                #expect(successes.contains { $0 > write.at }, "no cycle committed after the \(write.name) write at \(write.at)")
            }
            let store = try BatchStore(url: world.db)
            let freshness = try store.freshness()
            #expect(freshness.lease?.pid == Int(poller!.process.processIdentifier), "the resident poller still holds the lease")
            let polled = try store.jobs(JobFilter()).map(\.lastPolledAt).max() ?? 0
            #expect(polled >= freshness.lastSuccessAt ?? .max, "job rows carry the last cycle's poll time")
            // No failure of the database (a loaded machine may time an HTTP request out: not this test's concern).
            let failures = poller!.errors.split(separator: "\n").filter { $0.contains("sync failed") }
            let databaseFailures = failures.filter { $0.contains("database") }
            #expect(databaseFailures.isEmpty, "the poller failed \(databaseFailures.count) times: \(databaseFailures.prefix(3))")
            #expect(!poller!.errors.contains("database is locked"))
            print("foreign writers: \(writes.count) writes in \(Int(Self.writerSeconds)) s, \(successes.count) distinct successful cycles seen, \(failures.count) failures")
        } catch {
            await poller?.terminate()
            await world.stop()
            throw error
        }
        await poller?.terminate()
        await world.stop()
    }

    /// What the dashboard's worker lives through: it polls, another `sync` takes over while it is stopped,
    /// it stands by, other processes write, and when that `sync` exits it must poll again.
    @Test("a poller that stood by for another sync polls again when that sync exits")
    func aStandbyPollsAgainWhenTheHolderExits() async throws {
        let world = try await World()
        var first: Resident?
        var second: Resident?
        do {
            first = try world.start(["sync"], name: "first")
            // Two cycles: the second one updates rows the first inserted (what left a read open).
            var seen = Set<Int64>()
            #expect(await Self.eventually(within: 60) {
                if let s = try? world.freshness().lastSuccessAt { seen.insert(s) }
                return seen.count >= 2
            }, "the first poller never finished two cycles")
            let firstPID = Int(first!.process.processIdentifier)
            // Stopped (alive, silent): the second takes over once the first's heartbeat has stood still for its TTL.
            kill(first!.process.processIdentifier, SIGSTOP)
            second = try world.start(["sync"], name: "second")
            let secondPID = Int(second!.process.processIdentifier)
            #expect(await Self.eventually(within: 60) { (try? world.freshness().lease?.pid) == secondPID }, "the second never took over: \(second!.errors)")
            kill(first!.process.processIdentifier, SIGCONT)
            // The first finds the lease taken and stands by; meanwhile other processes write.
            try await Task.sleep(nanoseconds: 3_000_000_000)
            let r = try await world.run(["reclassify", "--workload", "nightly-eval", "--lane", "realtime", "--reason", "standby probe"])
            #expect(r.status == 0, "reclassify: \(r.stderr)")
            await second!.terminate()
            let exited = Self.now()
            // A standby asks again every half TTL (the TTL is 16 s while jobs are active).
            #expect(await Self.eventually(within: 45) {
                guard let f = try? world.freshness() else { return false }
                return f.lease?.pid == firstPID && (f.lastSuccessAt ?? 0) > exited
            }, "the first never polled again: \(first!.errors)")
            #expect(!first!.errors.contains("database is locked"), "\(first!.errors)")
            #expect(!second!.errors.contains("database is locked"), "\(second!.errors)")
        } catch {
            if let first { kill(first.process.processIdentifier, SIGCONT) }
            await first?.terminate(); await second?.terminate()
            await world.stop()
            throw error
        }
        await first?.terminate(); await second?.terminate()
        await world.stop()
    }
}
