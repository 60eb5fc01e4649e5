import Foundation

/// The operations part of `config.toml`: `[approvals]` and `[routing]`, read from the sections the
/// config loader keeps raw (`BatchtopConfig.reservedSections`).
///
/// ```toml
/// [approvals]
/// approvers = ["ana", "ben"]
/// allow_self_approval = false
///
/// [routing]
/// default_class = "scheduled"
/// [[routing.rules]]
/// workload = "chat-*"
/// class = "interactive"
/// ```
public struct OperationsSettings: Sendable, Hashable {
    /// Who may approve or reject decisions.
    public var approvers: [String]
    /// Whether the person who raised a decision may approve it.
    public var allowSelfApproval: Bool
    /// Rules and class-to-lane table.
    public var policy: RoutingPolicy

    public init(approvers: [String] = [], allowSelfApproval: Bool = false, policy: RoutingPolicy = RoutingPolicy()) {
        self.approvers = approvers; self.allowSelfApproval = allowSelfApproval; self.policy = policy
    }

    /// Parses `[approvals]` and `[routing]`; `path` names the file in errors.
    public static func parse(_ sections: [String: ConfigValue], path: String) throws(ConfigError) -> OperationsSettings {
        var settings = OperationsSettings()
        if let approvals = sections["approvals"] {
            guard let table = approvals.tableValue else { throw invalid(path, "approvals", "must be a table") }
            for key in table.keys where !["approvers", "allow_self_approval"].contains(key) {
                throw invalid(path, "approvals.\(key)", "unknown setting; known: approvers, allow_self_approval")
            }
            if let list = table["approvers"] {
                guard let items = list.arrayValue, let names = Optional(items.compactMap(\.stringValue)), names.count == items.count else {
                    throw invalid(path, "approvals.approvers", "must be an array of names, e.g. [\"ana\", \"ben\"]")
                }
                settings.approvers = names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            if let flag = table["allow_self_approval"] {
                guard let value = flag.boolValue else { throw invalid(path, "approvals.allow_self_approval", "must be true or false") }
                settings.allowSelfApproval = value
            }
        }
        if let routing = sections["routing"] {
            guard let table = routing.tableValue else { throw invalid(path, "routing", "must be a table") }
            settings.policy = try parseRouting(table, path: path)
        }
        return settings
    }

    static func parseRouting(_ table: [String: ConfigValue], path: String) throws(ConfigError) -> RoutingPolicy {
        var policy = RoutingPolicy()
        for key in table.keys where !["default_class", "rules", "lanes"].contains(key) {
            throw invalid(path, "routing.\(key)", "unknown setting; known: default_class, rules, lanes")
        }
        if let value = table["default_class"] {
            policy.defaultClass = try urgency(value, path, "routing.default_class")
        }
        if let lanes = table["lanes"] {
            guard let map = lanes.tableValue else { throw invalid(path, "routing.lanes", "must be a table of class = \"lane\"") }
            for (name, value) in map {
                let cls = try urgency(.string(name), path, "routing.lanes")
                guard let text = value.stringValue, let lane = Lane(rawValue: text) else {
                    throw invalid(path, "routing.lanes.\(name)", "must be \"realtime\" or \"batch\"")
                }
                policy.laneOverrides[cls] = lane
            }
        }
        if let rules = table["rules"] {
            guard let items = rules.arrayValue else { throw invalid(path, "routing.rules", "must be [[routing.rules]] tables") }
            for (index, item) in items.enumerated() {
                let where_ = "routing.rules[\(index + 1)]"
                guard let rule = item.tableValue else { throw invalid(path, where_, "must be a table") }
                for key in rule.keys where !["workload", "endpoint", "model", "class"].contains(key) {
                    throw invalid(path, "\(where_).\(key)", "unknown setting; known: workload, endpoint, model, class")
                }
                func text(_ key: String) throws(ConfigError) -> String? {
                    guard let v = rule[key] else { return nil }
                    guard let s = v.stringValue, !s.isEmpty else { throw invalid(path, "\(where_).\(key)", "must be a non-empty string") }
                    return s
                }
                guard let cls = rule["class"] else { throw invalid(path, where_, "needs class = \"interactive\"|\"urgent\"|...") }
                policy.rules.append(RoutingRule(
                    workload: try text("workload"), endpoint: try text("endpoint"), model: try text("model"),
                    urgencyClass: try urgency(cls, path, "\(where_).class")))
            }
        }
        return policy
    }

    private static func urgency(_ value: ConfigValue, _ path: String, _ key: String) throws(ConfigError) -> UrgencyClass {
        guard let text = value.stringValue, let cls = UrgencyClass(rawValue: text) else {
            throw invalid(path, key, "must be one of \(UrgencyClass.allCases.map(\.rawValue).joined(separator: ", ")), got \(value)")
        }
        return cls
    }

    private static func invalid(_ path: String, _ key: String, _ message: String) -> ConfigError {
        .invalidValue(path: path, line: nil, key: key, message: message)
    }
}
