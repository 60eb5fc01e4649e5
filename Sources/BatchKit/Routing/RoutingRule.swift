import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One `[[routing.rules]]` entry: requests that match get an urgency class (and so a lane).
///
/// Every present matcher must match; an absent matcher matches anything. Workload and model are
/// shell globs (`nightly-*`, `gpt-4o*`); the endpoint is compared exactly.
public struct RoutingRule: Codable, Sendable, Hashable {
    /// Glob over the workload name.
    public var workload: String?
    /// Exact endpoint, e.g. `/v1/embeddings`.
    public var endpoint: String?
    /// Glob over the model name.
    public var model: String?
    /// The class given to matching work.
    public var urgencyClass: UrgencyClass

    public init(workload: String? = nil, endpoint: String? = nil, model: String? = nil, urgencyClass: UrgencyClass) {
        self.workload = workload; self.endpoint = endpoint; self.model = model; self.urgencyClass = urgencyClass
    }

    enum CodingKeys: String, CodingKey {
        case workload, endpoint, model
        case urgencyClass = "class"
    }

    /// Whether the rule applies to this work.
    public func matches(workload: String?, endpoint: String?, model: String?) -> Bool {
        if let pattern = self.workload, !Self.glob(pattern, workload) { return false }
        if let want = self.endpoint, want != endpoint { return false }
        if let pattern = self.model, !Self.glob(pattern, model) { return false }
        return true
    }

    /// A short human description, e.g. `workload=nightly-* model=gpt-4o* -> evaluation`.
    public var summary: String {
        var parts: [String] = []
        if let workload { parts.append("workload=\(workload)") }
        if let endpoint { parts.append("endpoint=\(endpoint)") }
        if let model { parts.append("model=\(model)") }
        if parts.isEmpty { parts.append("everything") }
        return parts.joined(separator: " ") + " -> \(urgencyClass)"
    }

    static func glob(_ pattern: String, _ value: String?) -> Bool {
        guard let value else { return false }
        return fnmatch(pattern, value, 0) == 0
    }
}
