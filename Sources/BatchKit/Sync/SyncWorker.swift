import Dispatch
import Foundation
import Logging
import Synchronization

/// The background poller: runs `SyncCycle`s on its own serial queue, paced by a `DispatchSourceTimer`,
/// and posts what happened to a mailbox the UI drains.
///
/// Rule: at most one cycle at a time, why: never two requests in flight; a `pollNow()` during a cycle
/// is remembered and runs right after it. Rule: results go to the `Mailbox`, not the main actor, why:
/// the dashboard loop owns the main thread and drains at its own pace.
public final class SyncWorker: Sendable {
    private struct State {
        var started = false
        var running = false
        var paused = false
        var stopped = false
        var pollRequested = false
        /// Failed cycles in a row: counted here, why: when the failure is the database refusing writes,
        /// the count in the database cannot move.
        var consecutiveFailures = 0
        var lastFailure: SyncFailure?
    }

    public let cycle: SyncCycle
    public let policy: SyncPolicy
    /// Where cycle results and failures are posted.
    public let mailbox: Mailbox<SyncEvent>
    private let queue: DispatchQueue
    private let state = Mutex(State())
    /// Touched only on `queue` (Dispatch sources are thread-safe for schedule and cancel in any case).
    private nonisolated(unsafe) let timer: any DispatchSourceTimer
    /// Where failed cycles and lease changes are logged; nil when the caller reports them itself.
    private let log: Logger?

    /// - Parameter log: the dashboard passes its file logger, so a failing poller leaves a trace
    ///   (`batchtop sync` prints the mailbox's events itself and passes nil).
    public init(cycle: SyncCycle, policy: SyncPolicy = SyncPolicy(), mailbox: Mailbox<SyncEvent> = Mailbox(), log: Logger? = nil) {
        self.cycle = cycle
        self.policy = policy
        self.mailbox = mailbox
        self.log = log
        self.queue = DispatchQueue(label: "batchtop.sync.\(cycle.claimant.holderID)", qos: .utility)
        self.timer = DispatchSource.makeTimerSource(queue: queue)
    }

    deinit {
        // Rule: a never-started timer is cancelled and resumed before release, why: Dispatch traps
        // when a source is released while still suspended (a worker made but not started, as in --once).
        if !state.withLock({ $0.started }) {
            timer.cancel()
            timer.resume()
        }
    }

    /// Starts polling; the first cycle runs at once.
    public func start() {
        queue.async { [self] in
            let isNew = state.withLock { s -> Bool in
                guard !s.started, !s.stopped else { return false }
                s.started = true
                return true
            }
            guard isNew else { return }
            timer.setEventHandler { [weak self] in self?.fire() }
            timer.schedule(deadline: .now())
            timer.resume()
        }
    }

    /// Stops polling and gives the lease up so another dashboard can take over at once.
    public func stop() {
        queue.async { [self] in
            let wasStarted = state.withLock { s -> Bool in
                defer { s.stopped = true }
                return s.started && !s.stopped
            }
            if wasStarted { timer.cancel() }
            try? cycle.store.releaseLease(cycle.claimant)
        }
    }

    /// Polls as soon as possible (after the running cycle, if one is running).
    public func pollNow() {
        queue.async { [self] in
            let runNow = state.withLock { s -> Bool in
                if s.running { s.pollRequested = true; return false }
                return !s.stopped
            }
            if runNow { fire(force: true) }
        }
    }

    /// Stops scheduling cycles until `resume()`; a running cycle finishes.
    public func pause() {
        queue.async { [self] in
            state.withLock { $0.paused = true }
            mailbox.post(.paused)
        }
    }

    /// Resumes polling with an immediate cycle.
    public func resume() {
        queue.async { [self] in
            state.withLock { $0.paused = false }
            mailbox.post(.resumed)
            fire(force: true)
        }
    }

    /// Whether a cycle is running now.
    public var isRunning: Bool { state.withLock { $0.running } }

    /// The failure of the last cycle, nil once a cycle succeeds: what the header shows even when the
    /// database could not record it (see `SyncFreshness.merging(workerFailure:)`).
    public var lastFailure: SyncFailure? { state.withLock { $0.lastFailure } }

    // MARK: On the queue

    private func fire(force: Bool = false) {
        let go = state.withLock { s -> Bool in
            guard !s.running, !s.stopped, !s.paused || force else { return false }
            s.running = true
            return true
        }
        guard go else { return }
        // The task keeps the worker alive until the cycle ends, so `finish` always runs on the queue.
        Task.detached { [self] in
            let outcome: Result<SyncReport, any Error>
            do { outcome = .success(try await cycle.runOnce()) } catch { outcome = .failure(error) }
            queue.async { self.finish(outcome) }
        }
    }

    private func finish(_ outcome: Result<SyncReport, any Error>) {
        let store = cycle.store
        if state.withLock({ $0.stopped }) {
            // Stopped while the cycle ran: the cycle may have re-taken the lease; hand it back.
            state.withLock { $0.running = false }
            try? store.releaseLease(cycle.claimant)
            return
        }
        let now = cycle.clock.unixNow()
        var delay: TimeInterval
        switch outcome {
        case let .success(report):
            let recovered = state.withLock { s -> Int in
                defer { s.consecutiveFailures = 0; s.lastFailure = nil }
                return s.consecutiveFailures
            }
            if recovered > 0 { log?.notice("sync recovered after \(recovered) failed cycle(s)") }
            switch report.role {
            case .poller:
                delay = policy.interval(activeJobs: report.changes.activeJobCount)
                try? store.recordSchedule(
                    nextAttemptAt: now + Int64(delay.rounded(.up)), intervalSeconds: delay,
                    claimant: cycle.claimant, leaseTTL: policy.leaseTTL(nextDelay: delay), now: now)
            case let .standby(lease):
                delay = policy.standbyDelay(leaseTTL: lease.ttlSeconds)
            }
            mailbox.post(.cycleCompleted(report, nextAttemptAt: now + Int64(delay.rounded(.up))))
        case let .failure(error):
            let failures = state.withLock { s -> Int in
                s.consecutiveFailures += 1
                return s.consecutiveFailures
            }
            delay = policy.backoff(consecutiveFailures: failures, error: error)
            let failure = SyncFailure(
                message: UntrustedText.singleLine(cycle.options.describeError(error), limit: 300),
                consecutiveFailures: failures, at: now, nextAttemptAt: now + Int64(delay.rounded(.up)))
            state.withLock { $0.lastFailure = failure }
            log?.warning("sync cycle failed (\(failures) in a row): \(failure.message); retry in \(Int(delay.rounded(.up)))s")
            // Persisted when the database takes it; the count above stays true either way.
            try? store.recordSchedule(
                nextAttemptAt: failure.nextAttemptAt, intervalSeconds: policy.activeInterval,
                claimant: cycle.claimant, leaseTTL: policy.leaseTTL(nextDelay: delay), now: now, failure: failure)
            mailbox.post(.cycleFailed(
                message: failure.message, consecutiveFailures: failures, nextAttemptAt: failure.nextAttemptAt))
        }
        let next = state.withLock { s -> TimeInterval? in
            s.running = false
            if s.stopped || !s.started || (s.paused && !s.pollRequested) { s.pollRequested = false; return nil }
            if s.pollRequested { s.pollRequested = false; return 0 }
            return delay
        }
        if let next { timer.schedule(deadline: .now() + next) }
    }
}
