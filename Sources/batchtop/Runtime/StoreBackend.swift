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
    // @unchecked: `timer`, `ticks`, `revision` and `loaded` are touched only on `queue` (start, stop and the timer's own
    // handler run there); everything else is immutable, a Mutex, or a Sendable reference.
    private let reader: SnapshotReader
    private let worker: SyncWorker?
    private let afterCycle: (@Sendable () async -> Void)?
    private let performer: EffectPerformer?
    private let queue = DispatchQueue(label: "batchtop.dashboard.backend")
    private var timer: DispatchSourceTimer?
    /// Timer ticks since start (touched only on `queue`).
    private var ticks = 0
    /// The job revision the posted list is at: each reload asks only for jobs changed after it.
    private var revision: Int64 = 0
    /// Whether the whole job list has been read and posted once.
    private var loaded = false
    /// Set by `stop`; a first read still running then does not start the worker.
    private let stopped = Mutex(false)
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
                if !stopped.withLock({ $0 }) { worker?.start() }
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

    /// Never waits for a read in progress, why: an operator who quits during the first read of a large
    /// database must get the terminal back at once. The worker ignores a start that comes after its stop.
    func stop() {
        stopped.withLock { $0 = true }
        worker?.stop()
        queue.async { [self] in
            timer?.cancel()
            timer = nil
        }
    }

    /// Drains the worker's events and re-reads what they say moved.
    private func pump(_ mailbox: DashboardMailbox) {
        ticks += 1
        let events = worker?.mailbox.drain() ?? []
        // A first read that failed is retried every 5 s until the list is there (it reads everything).
        if !loaded {
            if ticks % 20 == 0 { loadAll(mailbox) }
            return
        }
        let changed = events.contains { event in
            if case .cycleCompleted(let report, _) = event {
                return !report.changes.isEmpty || !report.downloaded.isEmpty || !report.missing.isEmpty
            }
            return false
        }
        let cycleEnded = events.contains { if case .cycleCompleted = $0 { return true } else { return false } }
        if worker == nil {
            // Another process polls this database: ask for changed jobs every second (an index lookup
            // when nothing moved), and re-read the other snapshots when jobs moved or every 5 s.
            if ticks % 4 == 0 { reload(mailbox, othersEvenIfNoJobMoved: ticks % 20 == 0) }
        } else if changed {
            reload(mailbox)
        } else if cycleEnded {
            // Rule: a quiet cycle asks only for changed jobs (one index lookup when none) and refreshes the
            // freshness line, why: re-reading everything after each quiet poll made an idle dashboard busy,
            // yet a row can move without a status or progress change (usage, files, another process's
            // cancel request), and its revision says so.
            reload(mailbox, othersEvenIfNoJobMoved: false)
            let isPaused = paused.withLock { $0 }
            if let freshness = try? reader.freshness(paused: isPaused, workerFailure: worker?.lastFailure) { mailbox.post(.freshness(freshness)) }
        } else if !events.isEmpty || (worker?.isRunning == true && ticks % 4 == 0) {
            // While a cycle runs, the freshness line is re-read every second, why: the cycle says what
            // it waits for (a provider's Retry-After, a long listing) before the wait, not after it.
            let isPaused = paused.withLock { $0 }
            if let freshness = try? reader.freshness(paused: isPaused, workerFailure: worker?.lastFailure) { mailbox.post(.freshness(freshness)) }
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
            loaded = true
            mailbox.post(all.action)
        } catch {
            mailbox.post(.freshness(Freshness(lastError: "reading the jobs: \(error) (retrying every 5 s)", polling: !isPaused)))
            return
        }
        postOthers(mailbox, paused: isPaused)
    }

    /// Posts freshness, queue, spend and decisions; one that cannot be read does not hold back the rest.
    private func postOthers(_ mailbox: DashboardMailbox, paused isPaused: Bool) {
        let (actions, failures) = reader.others(paused: isPaused, workerFailure: worker?.lastFailure)
        mailbox.post(contentsOf: actions)
        if let failure = failures.first {
            mailbox.post(.freshness(Freshness(lastError: "reading the database: \(failure)", polling: !isPaused)))
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
        } catch {
            mailbox.post(.freshness(Freshness(lastError: "reading the jobs: \(error)", polling: !isPaused)))
            return
        }
        postOthers(mailbox, paused: isPaused)
    }
}
