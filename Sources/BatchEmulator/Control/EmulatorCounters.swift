import Synchronization

/// What the emulator has served: requests per endpoint (`METHOD /path` with `{id}`), batches created.
public struct EmulatorCounters: Sendable, Equatable {
    /// Requests per endpoint, whatever their outcome.
    public var requests: [String: Int]
    /// Batches created through the API or the scenario.
    public var batchesCreated: Int

    /// Requests to one endpoint.
    public subscript(endpoint: String) -> Int { requests[endpoint] ?? 0 }

    var json: JSON {
        .object([("requests", .object(requests.keys.sorted().map { ($0, .int(requests[$0]!)) })),
                 ("batches_created", .int(batchesCreated))])
    }
}

/// Thread-safe request tallies.
final class RequestTally: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ endpoint: String) { counts.withLock { $0[endpoint, default: 0] += 1 } }
    func reset() { counts.withLock { $0.removeAll() } }
    var snapshot: [String: Int] { counts.withLock { $0 } }
}
