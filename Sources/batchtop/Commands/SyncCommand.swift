import ArgumentParser
import BatchKit
import Foundation

/// `batchtop sync`: poll the Batch API into the local database in the foreground.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Poll the Batch API into the local database, printing one line per change.",
        discussion: """
        Runs sync cycles until Ctrl-C (or one with --once). Only one process per database polls at a time; \
        others wait as standby. Exit code: 0 when the last cycle succeeded, 1 when it failed, 78 for a config error.
        """)

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    @Flag(help: "Run one cycle and exit.")
    var once = false

    func run() async throws {
        let env = try exitOnConfigError {
            try AppEnvironment.open(configOptions: configOptions, databaseFlag: database.db, profile: once ? .command : .resident)
        }
        warnAboutFile(env.store)
        var cycle = env.syncCycle()
        // Said while it happens (a retry's wait, a long listing's progress), not after the cycle.
        cycle.onActivity = { activity in
            Console.warn("batchtop: \(activity.text)")
        }
        if once {
            // A one-shot run gives the lease back whatever happens, so the next poller need not wait.
            defer { try? env.store.releaseLease(cycle.claimant) }
            do {
                let report = try await cycle.runOnce()
                if case .standby(let lease) = report.role {
                    Console.warn("batchtop: another batchtop polls this database (\(lease.label, limit: 200)); nothing fetched. It is taken over once it has not renewed its lease for \(lease.ttlSeconds)s.")
                    return
                }
                Self.show(report)
                await Self.refreshSpend(env)
            } catch {
                let text = SyncOptions.openAI(dataDirectory: nil).describeError(error)
                // `runOnce` has recorded the failure in the sync state already.
                Console.warn("batchtop: sync failed: \(text, limit: 2000)")
                throw ExitCode(1)
            }
            return
        }
        let worker = SyncWorker(cycle: cycle)
        worker.start()
        let lastOK = await Self.follow(worker: worker, env: env)
        worker.stop()
        if !lastOK { throw ExitCode(1) }
    }

    /// Prints worker events until SIGINT/SIGTERM; returns whether the last cycle succeeded.
    private static func follow(worker: SyncWorker, env: AppEnvironment) async -> Bool {
        let stop = TerminationSignal()
        var lastOK = true
        while !stop.received {
            for event in worker.mailbox.drain() {
                switch event {
                case .cycleCompleted(let report, _):
                    lastOK = true
                    show(report)
                    await refreshSpend(env)
                case .cycleFailed(let message, let failures, let next):
                    lastOK = false
                    let wait = max(0, next - Int64(Date().timeIntervalSince1970))
                    Console.warn("batchtop: sync failed (\(failures) in a row): \(message, limit: 2000); retry in \(wait)s")
                case .paused, .resumed:
                    break
                }
            }
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        return lastOK
    }

    /// Admits held submission chunks, then prices what the cycle finished into the spend ledger;
    /// a failure is said, not fatal.
    private static func refreshSpend(_ env: AppEnvironment) async {
        if let pump = env.pump {
            do {
                let step = try await pump.step()
                for id in step.created { say("admitted chunk as \(id)") }
            } catch {
                Console.warn("batchtop: held chunks not admitted: \(String(describing: error), limit: 2000)")
            }
        }
        do {
            let report = try await env.spendSync().run()
            if let error = report.organizationError {
                Console.warn("batchtop: spend: organisation usage not refreshed: \(error, limit: 2000)")
            }
        } catch {
            Console.warn("batchtop: spend: ledger not refreshed: \(String(describing: error), limit: 2000)")
        }
    }

    private static func show(_ report: SyncReport) {
        // One write per cycle, unbuffered, so `batchtop sync | tee log` shows each change as it happens.
        Console.write(SafeText.joined(report.changeLines.map { "\($0, limit: 300)\n" }))
    }
}
