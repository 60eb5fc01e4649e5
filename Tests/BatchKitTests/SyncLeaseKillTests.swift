import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// A real `batchtop sync` SIGKILLed with a lease that runs 3 h ahead: the next poller takes it at once.
///
/// The killed process is left unreaped, as a supervisor that does not wait (or a shell script's
/// `kill -9 $pid` followed at once by the next command) leaves it: a zombie, which `kill(pid, 0)` still
/// finds. Before the fix that kept the dead holder's lease for the 3 h its clock claimed.
@Suite(.serialized) struct SyncLeaseKillTests {
    /// Starts `batchtop` with posix_spawn (Foundation's Process would reap it), output to /dev/null.
    static func spawn(_ arguments: [String], environment: [String: String]) throws -> pid_t {
        let exe = BatchtopProcess.executable.path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([exe] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        return pid
    }

    /// Whether the file at `db` carries this build's schema (read-only; false while it does not exist).
    static func schemaIsReady(_ db: URL) throws -> Bool {
        guard FileManager.default.fileExists(atPath: db.path) else { return false }
        var config = Configuration()
        config.readonly = true
        let version = try DatabaseQueue(path: db.path, configuration: config).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        return version == BatchStore.knownSchemaVersion
    }

    @Test("a killed poller's lease, 3 h ahead by its clock, is taken at once by the next sync --once")
    func aKilledPollersSkewedLeaseIsTakenAtOnce() async throws {
        let harness = try await EmulatorHarness.start(scenario: .demo, configure: { $0.requestFailureRate = 0 })
        let dir = try BatchFixtures.temporaryDirectory("lease-kill")
        var pid: pid_t = 0
        defer {
            if pid > 0 { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) }
            try? FileManager.default.removeItem(at: dir)
        }
        let db = dir.appendingPathComponent("batchtop.sqlite")
        let environment = [
            "OPENAI_BASE_URL": harness.baseURL.absoluteString, "OPENAI_API_KEY": harness.projectKey, "USER": "ana",
            "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path, "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
        ]
        do {
            pid = try Self.spawn(["sync", "--db", db.path], environment: environment)
            // Bounded wait for the poller to hold the lease and finish a cycle.
            var held = false
            var reader: BatchStore?
            for _ in 0..<600 where !held {
                if reader == nil, (try? Self.schemaIsReady(db)) == true { reader = try? BatchStore.openExisting(url: db) }
                if let f = try? reader?.freshness(), f.lastSuccessAt != nil, f.lease?.pid == Int(pid) {
                    held = true
                } else {
                    try await Task.sleep(nanoseconds: 100_000_000)
                }
            }
            try #require(held, "the poller never took the lease")
            kill(pid, SIGKILL)
            // Dead but not reaped: a zombie (bounded wait for the kernel to get there).
            var zombie = false
            for _ in 0..<100 where !zombie {
                zombie = ProcessIdentity.status(pid: Int(pid))?.state == "Z"
                if !zombie { try await Task.sleep(nanoseconds: 20_000_000) }
            }
            #expect(zombie, "the killed poller should be an unreaped zombie")
            // Its clock ran 3 h ahead: the lease it left says so.
            let aheadExpiry = Int64(Date().timeIntervalSince1970) + 3 * 3_600
            let raw = try DatabaseQueue(path: db.path)
            try await raw.write { db in try db.execute(sql: "UPDATE lease SET expires_at = ?", arguments: [aheadExpiry]) }
            let before = try BatchStore(url: db).freshness().lastSuccessAt ?? 0
            try await Task.sleep(nanoseconds: 1_100_000_000)   // so the next cycle's stamp is later

            let (next, timedOut) = try await BatchtopProcess.runAsync(["sync", "--once", "--db", db.path], environment: environment, limit: 60)
            #expect(!timedOut)
            #expect(next.status == 0, "sync --once: \(next.stderr)\n\(next.stdout)")
            #expect(!next.stderr.contains("another batchtop polls this database"), "the dead holder blocked: \(next.stderr)")
            #expect((try BatchStore(url: db).freshness().lastSuccessAt ?? 0) > before, "sync --once polled")
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }
}
