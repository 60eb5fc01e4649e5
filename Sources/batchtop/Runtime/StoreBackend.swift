import BatchKit
import Dashboard
import Dispatch
import Foundation
import Synchronization

/// Performs the dashboard's write effects (cancel, resubmit, reclassify, approve, reject) and
/// answers with what happened; implemented over BatchKit/Operations.
protocol EffectPerformer: Sendable {
    /// Runs one confirmed write effect to completion; never throws: failures are results.
    func perform(_ effect: Effect) async -> OperationResult
}

/// The real dashboard backend: snapshots from the store, the sync worker for freshness and
/// polling, and operations for writes.
///
/// All store reads and operations run on `queue` or in tasks, never on the UI thread, so a slow
/// read or a provider call never freezes the screen.
final class StoreBackend: DashboardBackend, @unchecked Sendable {
    // @unchecked: `timer`, `idleTicks` and `revision` are touched only on `queue` (start, stop and the timer's own
    // handler run there); everything else is immutable, a Mutex, or a Sendable reference.
    private let reader: SnapshotReader
    private let worker: SyncWorker?
    private let afterCycle: (@Sendable () async -> Void)?
    private let performer: EffectPerformer?
    private let queue = DispatchQueue(label: "batchtop.dashboard.backend")
    private var timer: DispatchSourceTimer?
    /// Timer ticks since the last re-read when no worker polls here (touched only on `queue`).
    private var idleTicks = 0
    /// The job revision the posted list is at: each reload asks only for jobs changed after it.
    private var revision: Int64 = 0
    private let paused = Mutex(false)
    /// Whether the after-cycle work is running; a cycle that ends meanwhile starts none of its own, why:
    /// every step picks up all pending work and is idempotent, so the next run catches up.
    private let afterCycleRunning = Mutex(false)

    /// - Parameters:
    ///   - worker: nil for a read-only view of a database another process polls.
    ///   - performer: nil when writes are impossible (read-only); write effects then fail with a reason.
    ///   - afterCycle: work after each completed cycle (spend ledger, advisor); nil to only read.
    init(reader: SnapshotReader, worker: SyncWorker?, afterCycle: (@Sendable () async -> Void)?, performer: EffectPerformer?) {
        self.reader = reader; self.worker = worker; self.afterCycle = afterCycle; self.performer = performer
    }

    func initialActions() throws -> [Action] {
        try reader.actions(paused: false)
    }

    func start(mailbox: DashboardMailbox) {
        queue.sync {
            // The first full read runs here, not on the UI thread, why: on a large database it takes a
            // while, and the operator should see the dashboard (and be able to quit) meanwhile. The worker
            // starts after it, why: its first cycle competed for the CPU and delayed the list by a third.
            queue.async { [self] in
                loadAll(mailbox)
                worker?.start()
            }
            let timer = DispatchSource.makeTimerSource(queue: queue)
            // Worker events arrive at most every cycle; 250 ms keeps the screen within a quarter second
            // of the database without busy polling.
            timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250), leeway: .milliseconds(50))
            timer.setEventHandler { [weak self] in self?.pump(mailbox) }
            timer.resume()
            self.timer = timer
        }
    }

    func perform(_ effect: Effect, mailbox: DashboardMailbox) {
        switch effect {
        case .pollNow:
            worker?.pollNow()
        case .setPaused(let pause):
            paused.withLock { $0 = pause }
            if pause { worker?.pause() } else { worker?.resume() }
            mailbox.post(.pausedChanged(pause))
        case .loadJobDetail(let id):
            queue.async { [reader] in
                if let detail = try? reader.detail(jobID: id) { mailbox.post(.jobDetailLoaded(detail)) }
            }
        case .quit:
            break
        case .cancel, .resubmit, .reclassify, .approve, .reject:
            guard let performer else {
                mailbox.post(.operationFinished(OperationResult(
                    effect: effect, succeeded: false, message: "read-only: this dashboard cannot change anything")))
                return
            }
            let worker = self.worker
            let backend = self
            Task.detached {
                let result = await performer.perform(effect)
                mailbox.post(.operationFinished(result))
                // Show the effect of the write at once rather than at the next poll.
                worker?.pollNow()
                backend.queue.async { backend.reload(mailbox) }
            }
        }
    }

    func stop() {
        queue.sync {
            timer?.cancel()
            timer = nil
        }
        worker?.stop()
    }

    /// Drains the worker's events; any event means the database moved, so the snapshots are re-read.
    private func pump(_ mailbox: DashboardMailbox) {
        let events = worker?.mailbox.drain() ?? []
        // Rule: a cycle that changed nothing refreshes only the freshness line, why: re-reading every
        // job after each quiet poll is what made an idle dashboard on a large database busy.
        let changed = events.contains { event in
            if case .cycleCompleted(let report, _) = event {
                return !report.changes.isEmpty || !report.downloaded.isEmpty || !report.missing.isEmpty
            }
            return false
        }
        if worker == nil {
            // Another process polls this database: ask for changed jobs every second (an index lookup
            // when nothing moved), and re-read the other snapshots when jobs moved or every 5 s.
            idleTicks += 1
            if idleTicks % 4 == 0 { reload(mailbox, othersEvenIfNoJobMoved: idleTicks % 20 == 0) }
        } else if changed {
            reload(mailbox)
        } else if !events.isEmpty {
            let isPaused = paused.withLock { $0 }
            if let freshness = try? reader.freshness(paused: isPaused) { mailbox.post(.freshness(freshness)) }
        }
        if changed { runAfterCycle(mailbox) }
    }

    /// Runs the after-cycle work, then shows its results; one run at a time.
    private func runAfterCycle(_ mailbox: DashboardMailbox) {
        guard let afterCycle, afterCycleRunning.withLock({ running in
            defer { running = true }
            return !running
        }) else { return }
        let backend = self
        Task.detached {
            await afterCycle()
            backend.afterCycleRunning.withLock { $0 = false }
            backend.queue.async { backend.reload(mailbox) }
        }
    }

    /// Reads every job and snapshot; once, at start.
    private func loadAll(_ mailbox: DashboardMailbox) {
        let isPaused = paused.withLock { $0 }
        do {
            let all = try reader.allJobs()
            revision = all.revision
            mailbox.post(all.action)
            mailbox.post(contentsOf: try reader.others(paused: isPaused))
        } catch {
            mailbox.post(.freshness(Freshness(lastError: "reading the database: \(error)", polling: !isPaused)))
        }
    }

    /// Reads the jobs changed since the last read, and the other snapshots.
    ///
    /// Rule: never the whole job list again, why: with 100,000 jobs a full re-read after every cycle
    /// costs a second of CPU and a second copy of the list; the database's revisions say what moved.
    private func reload(_ mailbox: DashboardMailbox, othersEvenIfNoJobMoved: Bool = true) {
        let isPaused = paused.withLock { $0 }
        do {
            let changed = try reader.changedJobs(after: revision)
            revision = changed.revision
            if let action = changed.action { mailbox.post(action) }
            guard changed.action != nil || othersEvenIfNoJobMoved else { return }
            mailbox.post(contentsOf: try reader.others(paused: isPaused))
        } catch {
            mailbox.post(.freshness(Freshness(lastError: "reading the database: \(error)", polling: !isPaused)))
        }
    }
}
