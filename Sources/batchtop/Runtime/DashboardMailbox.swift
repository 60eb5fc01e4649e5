import Dashboard
import Synchronization

/// Where background work posts actions for the runtime loop; the only state shared across threads.
final class DashboardMailbox: Sendable {
    private let queue = Mutex<[Action]>([])
    private let wake: @Sendable () -> Void

    /// - Parameter wake: called after each post, so the loop reads the news now, not at its next timeout.
    init(wake: @escaping @Sendable () -> Void = {}) { self.wake = wake }

    /// Posts one action; callable from any thread.
    func post(_ action: Action) {
        queue.withLock { $0.append(action) }
        wake()
    }

    /// Posts several actions in order.
    func post(contentsOf actions: [Action]) {
        guard !actions.isEmpty else { return }
        queue.withLock { $0.append(contentsOf: actions) }
        wake()
    }

    /// Takes everything posted so far, dropping snapshots superseded by a later one of the same
    /// kind, why: after a stall the loop should apply the newest job list once, not replay each.
    func drain() -> [Action] {
        let all = queue.withLock { q -> [Action] in
            let taken = q
            q.removeAll(keepingCapacity: true)
            return taken
        }
        guard all.count > 1 else { return all }
        var lastOfKind: [Int: Int] = [:]
        for (i, a) in all.enumerated() { if let k = Self.snapshotKind(a) { lastOfKind[k] = i } }
        // Changes are deltas and each one counts, unless a whole job list read after them follows.
        let lastFullList = lastOfKind[0] ?? -1
        return all.enumerated().compactMap { i, a in
            if let k = Self.snapshotKind(a), lastOfKind[k] != i { return nil }
            if case .jobsChanged = a, i < lastFullList { return nil }
            return a
        }
    }

    private static func snapshotKind(_ a: Action) -> Int? {
        switch a {
        case .jobsLoaded: return 0
        case .freshness: return 1
        case .queueLoaded: return 2
        case .spendLoaded: return 3
        case .decisionsLoaded: return 4
        default: return nil
        }
    }
}
