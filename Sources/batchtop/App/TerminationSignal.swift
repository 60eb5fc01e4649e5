import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM turned into a flag and an awaitable latch, for foreground commands.
///
/// The signals are routed through Dispatch sources, why: a C handler may do almost nothing safely,
/// while a source runs ordinary Swift on a queue.
final class TerminationSignal: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only cancelled in deinit; the rest is a Mutex.
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    private let sources: [DispatchSourceSignal]

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        let queue = DispatchQueue(label: "batchtop.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        for source in sources {
            source.setEventHandler { [weak self] in self?.fire() }
            source.resume()
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    /// Whether a signal has arrived.
    var received: Bool { state.withLock { $0.fired } }

    /// Opens the latch (also usable to stop a command from inside).
    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Suspends until a signal arrives.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.fired { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}
