import Synchronization

/// The live set of fault rules; requests consume them as they match.
public final class FaultInjector: Sendable {
    private let rules = Mutex<[FaultRule]>([])

    /// No faults.
    public init() {}

    /// Adds a rule; rules apply in the order added.
    public func add(_ rule: FaultRule) { rules.withLock { $0.append(rule) } }

    /// Removes every rule.
    public func clear() { rules.withLock { $0.removeAll() } }

    /// The rules still active.
    public var active: [FaultRule] { rules.withLock { $0 } }

    /// The faults that hit one request to `endpoint`, consuming one use of each.
    func take(for endpoint: String) -> [FaultRule.Kind] {
        rules.withLock { rules in
            var hits: [FaultRule.Kind] = []
            var index = 0
            while index < rules.count {
                let rule = rules[index]
                let matches = rule.endpoint == nil || rule.endpoint == endpoint
                let lostOnlyOnCreate: Bool
                if case .lostResponse = rule.kind { lostOnlyOnCreate = endpoint == "POST /v1/batches" } else { lostOnlyOnCreate = true }
                if matches, lostOnlyOnCreate {
                    hits.append(rule.kind)
                    if let count = rule.count {
                        if count <= 1 { rules.remove(at: index); continue }
                        rules[index].count = count - 1
                    }
                }
                index += 1
            }
            return hits
        }
    }
}
