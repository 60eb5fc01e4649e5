/// Which organisation usage endpoint a usage entry belongs to.
enum UsageKind: String, Sendable {
    case completions, embeddings, moderations

    static func of(endpoint: String) -> UsageKind {
        switch endpoint {
        case "/v1/embeddings": return .embeddings
        case "/v1/moderations": return .moderations
        default: return .completions
        }
    }
}

/// The dimensions the usage endpoints can group by, per minute.
struct UsageKey: Hashable, Sendable {
    var minute: Int64
    var kind: UsageKind
    var projectID: String
    var apiKeyID: String
    var model: String
    var batch: Bool
    var serviceTier: String
}

/// Every token the organisation spent, both lanes, aggregated per minute: the source of usage and costs.
struct UsageLedger: Sendable {
    private(set) var entries: [UsageKey: TokenCounts] = [:]

    mutating func record(_ counts: TokenCounts, at time: Int64, kind: UsageKind, projectID: String, apiKeyID: String,
                         model: String, batch: Bool) {
        let key = UsageKey(minute: time - ((time % 60) + 60) % 60, kind: kind, projectID: projectID, apiKeyID: apiKeyID,
                           model: model, batch: batch, serviceTier: batch ? "batch" : "default")
        entries[key, default: TokenCounts()] += counts
    }
}
