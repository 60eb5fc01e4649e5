/// The routing rules and class-to-lane table from `config.toml`.
///
/// Rules are tried in order and the first match wins, why: operators write specific rules above
/// general ones, as in a firewall, and must be able to predict the outcome by reading top-down.
public struct RoutingPolicy: Codable, Sendable, Hashable {
    /// Ordered rules; the first that matches decides the class.
    public var rules: [RoutingRule]
    /// The class of work no rule matches.
    public var defaultClass: UrgencyClass
    /// Lane per class where it differs from the house rule (`UrgencyClass.defaultLane`).
    public var laneOverrides: [UrgencyClass: Lane]

    public init(rules: [RoutingRule] = [], defaultClass: UrgencyClass = .scheduled, laneOverrides: [UrgencyClass: Lane] = [:]) {
        self.rules = rules; self.defaultClass = defaultClass; self.laneOverrides = laneOverrides
    }

    /// The lane a class runs in.
    public func lane(for urgencyClass: UrgencyClass) -> Lane {
        laneOverrides[urgencyClass] ?? urgencyClass.defaultLane
    }
}
