import Synchronization

/// A Mutex-guarded queue that background workers post to and the UI loop drains.
///
/// Rule: bounded, dropping the oldest events, why: a UI that stops draining (suspended with Ctrl-Z)
/// must not grow memory without limit; every event the worker posts is a snapshot, so the newest win.
public final class Mailbox<Event: Sendable>: Sendable {
    private struct State {
        var events: [Event] = []
        var dropped = 0
    }

    private let state = Mutex(State())
    /// The most events held before the oldest are dropped.
    public let capacity: Int

    public init(capacity: Int = 1024) { self.capacity = max(1, capacity) }

    /// Adds an event.
    public func post(_ event: Event) {
        state.withLock { s in
            s.events.append(event)
            if s.events.count > capacity {
                s.events.removeFirst(s.events.count - capacity)
                s.dropped += 1
            }
        }
    }

    /// Takes every waiting event, oldest first.
    public func drain() -> [Event] {
        state.withLock { s in
            let out = s.events
            s.events.removeAll(keepingCapacity: true)
            return out
        }
    }

    /// How many events were dropped for lack of room since the mailbox was made.
    public var droppedCount: Int { state.withLock { $0.dropped } }
}
