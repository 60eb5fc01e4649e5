import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

@Suite final class StoreTests {
    let dir: URL
    let url: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("store")
        url = dir.appendingPathComponent("nested/batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    @Test func createsTheFileWithMode0600AndWarnsAboutALooseOneWithoutChangingIt() throws {
        #expect(try BatchStore(url: url).fileWarning == nil)
        #expect(DatabaseFile.permissions(url.path) == 0o600)

        let loose = dir.appendingPathComponent("loose.sqlite")
        FileManager.default.createFile(atPath: loose.path, contents: nil, attributes: [.posixPermissions: 0o644])
        #expect(DatabaseFile.permissions(loose.path) == 0o644)
        let store = try BatchStore(url: loose)
        #expect(DatabaseFile.permissions(loose.path) == 0o644)
        #expect(store.fileWarning?.contains("has mode 0644") == true)
    }

    @Test func reopeningKeepsDataAndSchemaVersion() throws {
        do {
            let store = try BatchStore(url: url)
            try store.applyCycle([BatchFixtures.batch(1, status: .completed)], observedAt: 100)
        }
        let store = try BatchStore(url: url)
        #expect(try store.jobCount() == 1)
        #expect(try store.schemaVersion() == BatchStore.knownSchemaVersion)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func refusesADatabaseWithAHigherUserVersion() throws {
        _ = try BatchStore(url: url)
        let newer = BatchStore.knownSchemaVersion + 1
        try DatabaseQueue(path: url.path).write { try $0.execute(sql: "PRAGMA user_version = \(newer)") }
        #expect(throws: StoreError.newerSchema(path: url.path, found: newer, known: BatchStore.knownSchemaVersion)) {
            _ = try BatchStore(url: url)
        }
        let message = StoreError.newerSchema(path: url.path, found: 7, known: 1).description
        #expect(message.contains("newer batchtop (schema 7, this build knows 1)"))
        #expect(message.contains("--db"))
    }

    @Test func refusesADatabaseWithAnUnknownMigration() throws {
        _ = try BatchStore(url: url)
        try DatabaseQueue(path: url.path).write {
            try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')")
        }
        #expect {
            _ = try BatchStore(url: url)
        } throws: { error in
            guard case StoreError.newerSchema = error else { return false }
            return true
        }
    }

    @Test func refusesAFileThatIsNotADatabase() throws {
        let junk = dir.appendingPathComponent("junk.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: junk)
        #expect {
            _ = try BatchStore(url: junk)
        } throws: { error in
            guard case StoreError.notADatabase = error else { return false }
            return true
        }
    }

    @Test func cycleWriteReportsNewStatusAndProgressChangesAndRecordsTransitions() throws {
        let store = try BatchStore(url: url)
        let first = try store.applyCycle([
            BatchFixtures.batch(1, status: .validating),
            BatchFixtures.batch(2, status: .inProgress, total: 10, completed: 2),
        ], observedAt: 1_000)
        #expect(first.newJobs.map(\.id) == ["batch_00000001", "batch_00000002"])
        #expect(first.activeJobCount == 2)

        var b1 = BatchFixtures.batch(1, status: .inProgress, total: 10)
        b1.inProgressAt = 1_500
        let b2 = BatchFixtures.batch(2, status: .inProgress, total: 10, completed: 7)
        let second = try store.applyCycle([b1, b2, BatchFixtures.batch(3, status: .completed)], observedAt: 2_000)
        #expect(second.newJobs.map(\.id) == ["batch_00000003"])
        #expect(second.statusChanges == [.init(jobID: "batch_00000001", from: .validating, to: .inProgress)])
        #expect(second.progressChanges.map(\.jobID).sorted() == ["batch_00000001", "batch_00000002"])
        #expect(second.activeJobCount == 2)

        let third = try store.applyCycle([b1, b2], observedAt: 3_000)
        #expect(third.isEmpty)
        #expect(third.unchangedCount == 2)

        let detail = try #require(try store.jobDetail(id: "batch_00000001"))
        #expect(detail.transitions.map(\.to) == [.validating, .inProgress])
        #expect(detail.transitions.map(\.from) == [nil, .validating])
        #expect(detail.transitions[1].at == 1_500)
        #expect(detail.transitions[1].atIsProviderTime)
        #expect(detail.transitions[1].observedAt == 2_000)
        #expect(detail.job.lastPolledAt == 3_000)
        #expect(detail.job.firstSeenAt == 1_000)
    }

    @Test func jobsRoundTripEveryBatchField() throws {
        let store = try BatchStore(url: url)
        var b = BatchFixtures.batch(9, status: .failed, total: 3, completed: 1, failed: 2, outputFileID: "file-o", errorFileID: "file-e")
        b.errors = [BatchErrorItem(code: "token_limit_exceeded", message: "Enqueued token limit reached\n\u{1B}[31m", param: nil, line: 4)]
        b.usage = TokenUsage(inputTokens: 100, cachedInputTokens: 20, outputTokens: 30, reasoningTokens: 5)
        b.metadata = ["workload": "w", "batchtop_job_id": "local-9", "batchtop_parent": "batch_1", "batchtop_lane": "batch", "note": "quote \" and \\ and é"]
        b.cancellingAt = 7; b.cancelledAt = 8; b.expiredAt = 9
        try store.applyCycle([b], observedAt: 50)
        let job = try #require(try store.jobs().first)
        #expect(job.batch == b)
        #expect(job.localID == "local-9")
        #expect(job.parentJobID == "batch_1")
        #expect(job.workload == "w")
        #expect(try store.jobDetail(id: "local-9")?.job.id == b.id)
    }

    @Test func filtersCountsAndActiveJobs() throws {
        let store = try BatchStore(url: url)
        var batches: [Batch] = []
        for n in 1...30 {
            let status: BatchStatus = n % 3 == 0 ? .completed : (n % 3 == 1 ? .inProgress : BatchStatus("paused_for_review"))
            batches.append(BatchFixtures.batch(n, status: status, workload: n % 2 == 0 ? "even" : "odd"))
        }
        try store.applyCycle(batches, observedAt: 1)
        #expect(try store.jobs(JobFilter(statuses: [.completed])).count == 10)
        #expect(try store.jobs(JobFilter(statuses: [BatchStatus("paused_for_review")])).count == 10)
        #expect(try store.jobs(JobFilter(workload: "even")).count == 15)
        #expect(try store.jobs(JobFilter(statuses: [.completed], workload: "even")).map(\.id).allSatisfy { Int($0.suffix(8))! % 6 == 0 })
        #expect(try store.jobs(JobFilter(lane: .realtime)).isEmpty)
        #expect(try store.jobs(JobFilter(lane: .batch)).count == 30)
        let since = batches[19].createdAt
        #expect(try store.jobs(JobFilter(createdSince: since)).count == 11)
        #expect(try store.jobs(JobFilter(limit: 4)).map(\.id) == ["batch_00000030", "batch_00000029", "batch_00000028", "batch_00000027"])
        #expect(try store.nonTerminalJobs().count == 20)
        #expect(try store.statusCounts() == [.completed: 10, .inProgress: 10, BatchStatus("paused_for_review"): 10])
        #expect(try store.jobSummaries(JobFilter(statuses: [.inProgress])).count == 10)
    }

    @Test func jobsJSONIsTheVersionedContractAndDecodesBack() throws {
        let store = try BatchStore(url: url)
        let batches = (1...250).map { BatchFixtures.batch($0, status: $0 % 2 == 0 ? .completed : .inProgress, completed: $0 % 10) }
        try store.applyCycle(batches, observedAt: 77)
        var data = Data()
        var chunks = 0
        try store.writeJobsJSON(JobFilter(statuses: [.completed]), chunkSize: 4096) { data.append($0); chunks += 1 }
        #expect(chunks > 1)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schema"] as? String == "batchtop.jobs/v1")
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        #expect(jobs.count == 125)
        #expect(jobs.first?["id"] as? String == "batch_00000250")
        #expect(jobs.first?["last_polled_at"] as? Int == 77)
        #expect(jobs.first?["lane"] as? String == "batch")
        let batch = try JSONDecoder().decode(Batch.self, from: JSONSerialization.data(withJSONObject: jobs[0]["batch"]!))
        #expect(batch == batches[249])

        var empty = Data()
        try store.writeJobsJSON(JobFilter(workload: "nobody")) { empty.append($0) }
        let none = try #require(try JSONSerialization.jsonObject(with: empty) as? [String: Any])
        #expect((none["jobs"] as? [Any])?.isEmpty == true)
    }

    @Test func aFailureMidTransactionLeavesThePreviousCycleIntact() throws {
        let store = try BatchStore(url: url)
        let before = (1...100).map { BatchFixtures.batch($0, status: .inProgress, completed: 1) }
        try store.applyCycle(before, observedAt: 10)
        // A trigger makes the 150th row of the next cycle fail after 149 rows were written.
        try DatabaseQueue(path: url.path).write {
            try $0.execute(sql: "CREATE TRIGGER boom BEFORE INSERT ON jobs WHEN NEW.id = 'batch_00000150' BEGIN SELECT RAISE(ABORT, 'boom'); END")
        }
        let next = (1...200).map { BatchFixtures.batch($0, status: .completed, completed: 10) }
        #expect(throws: (any Error).self) { try store.applyCycle(next, observedAt: 20) }
        #expect(try store.jobCount() == 100)
        #expect(try store.statusCounts() == [.inProgress: 100])
        #expect(try store.freshness().lastSuccessAt == 10)
        #expect(try store.jobDetail(id: "batch_00000001")?.transitions.count == 1)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func auditIsAppendOnly() throws {
        let store = try BatchStore(url: url)
        _ = store
        let queue = try DatabaseQueue(path: url.path)
        try queue.write {
            try $0.execute(sql: "INSERT INTO audit (at, actor, action, targets, parameters_json, outcome, hash) VALUES (1, 'ops', 'cancel', '[]', '{}', 'ok', 'h1')")
        }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit SET outcome = 'forged'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit") } }
        #expect(try queue.read { try String.fetchOne($0, sql: "SELECT outcome FROM audit") } == "ok")
    }

    @Test func leaseIsExclusiveUntilItsHeartbeatStopsForItsTTL() throws {
        let store = try BatchStore(url: url)
        let a = LeaseClaimant(holderID: "a", pid: 1, host: "h")
        let b = LeaseClaimant(holderID: "b", pid: 2, host: "h", monotonicDomain: "b-clock")
        guard case .held = try store.claimLease(a, now: 100, ttl: 30, monotonic: 0) else { Issue.record("a should take a free lease"); return }
        guard case let .heldByOther(holder) = try store.claimLease(b, now: 100, ttl: 30, monotonic: 1_000) else { Issue.record("b must not take a live lease"); return }
        #expect(holder.holderID == "a")
        #expect(throws: StoreError.self) { try store.applyCycle([BatchFixtures.batch(1, status: .completed)], observedAt: 129, claimant: b) }
        #expect(try store.jobCount() == 0)
        // a renews: its heartbeat moves, so b starts counting again.
        guard case .held = try store.claimLease(a, now: 120, ttl: 30, monotonic: 20) else { Issue.record("a renews"); return }
        guard case .heldByOther = try store.claimLease(b, now: 200, ttl: 30, monotonic: 1_029) else { Issue.record("a renewed within b's 30 s"); return }
        guard case .heldByOther = try store.claimLease(b, now: 200, ttl: 30, monotonic: 1_058) else { Issue.record("29 s of silence on b's clock"); return }
        guard case let .held(taken) = try store.claimLease(b, now: 130, ttl: 30, monotonic: 1_059) else { Issue.record("30 s of silence on b's clock"); return }
        #expect(taken.holderID == "b")
        #expect(taken.expiresAt == 160)
        #expect(taken.ttlSeconds == 30)
    }
}

extension StoreTests {
    /// A holder that died on this host (a killed `batchtop sync`) does not block the next poller.
    @Test func aDeadHolderOnThisHostIsReplacedAtOnce() throws {
        let store = try BatchStore(url: url)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let host = ProcessInfo.processInfo.hostName
        let dead = LeaseClaimant(holderID: "dead", pid: Int(finished.processIdentifier), host: host)
        let live = LeaseClaimant(holderID: "live", pid: Int(getppid()), host: host)
        let me = LeaseClaimant(holderID: "me", pid: Int(getpid()), host: host)
        guard case .held = try store.claimLease(dead, now: 100, ttl: 600, monotonic: 0) else { Issue.record("free lease"); return }
        guard case .held = try store.claimLease(me, now: 101, ttl: 30, monotonic: 0) else { Issue.record("a dead holder must not block"); return }
        try store.releaseLease(me)
        guard case .held = try store.claimLease(live, now: 102, ttl: 600, monotonic: 0) else { Issue.record("a released lease is free"); return }
        guard case .heldByOther = try store.claimLease(me, now: 103, ttl: 30, monotonic: 0) else { Issue.record("a live holder keeps its lease"); return }
    }

    /// The holder's pid now belongs to another process (pid reuse): its start time tells them apart.
    @Test func aHolderWhosePidWasReusedIsReplacedAtOnce() throws {
        let store = try BatchStore(url: url)
        let me = try #require(LeaseClaimant.currentProcess().process, "needs /proc (Linux)")
        let parent = Int(getppid())
        let parentStart = try #require(ProcessIdentity.status(pid: parent)?.startTicks)
        // The row names our parent's pid, but a process that started at another time: not our parent.
        let reused = LeaseClaimant(holderID: "old", pid: parent, host: "elsewhere-named",
                                   process: ProcessIdentity(bootID: me.bootID, pidNamespace: me.pidNamespace, startTicks: parentStart + 1))
        let claimant = LeaseClaimant.currentProcess()
        guard case .held = try store.claimLease(reused, now: 100, ttl: 10_800, monotonic: 0) else { Issue.record("free lease"); return }
        guard case .held = try store.claimLease(claimant, now: 101, ttl: 30, monotonic: 0) else { Issue.record("a reused pid must not keep the lease"); return }
        try store.releaseLease(claimant)
        // The same pid with its true start time is alive and keeps it.
        let alive = LeaseClaimant(holderID: "parent", pid: parent, host: "elsewhere-named",
                                  process: ProcessIdentity(bootID: me.bootID, pidNamespace: me.pidNamespace, startTicks: parentStart))
        guard case .held = try store.claimLease(alive, now: 102, ttl: 30, monotonic: 0) else { Issue.record("free lease"); return }
        guard case .heldByOther = try store.claimLease(claimant, now: 103, ttl: 30, monotonic: 0) else { Issue.record("a live holder keeps its lease"); return }
        // Another boot's pid says nothing about this machine's processes: only the heartbeat counts.
        try store.releaseLease(alive)
        let otherBoot = LeaseClaimant(holderID: "far", pid: 999_999, host: "far",
                                      process: ProcessIdentity(bootID: "another-boot", pidNamespace: me.pidNamespace, startTicks: 1))
        guard case .held = try store.claimLease(otherBoot, now: 104, ttl: 30, monotonic: 0) else { Issue.record("free lease"); return }
        guard case .heldByOther = try store.claimLease(claimant, now: 105, ttl: 30, monotonic: 0) else { Issue.record("no pid judgement across boots"); return }
    }

    @Test func sizeOnDiskCountsTheFileAndItsLog() throws {
        let store = try BatchStore(url: url)
        let before = store.sizeOnDisk()
        try store.applyCycle((1...500).map { BatchFixtures.batch($0, status: .completed) }, observedAt: 1)
        #expect(before > 0)
        #expect(store.sizeOnDisk() > before)
    }
}
