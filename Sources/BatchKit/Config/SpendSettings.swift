import Foundation

/// The spend settings: `[spend] time_zone`, `[budgets.<lane>]` and `[prices] file`.
///
/// ```toml
/// [spend]
/// time_zone = "Europe/Berlin"     # IANA name; default UTC. Provider usage/costs stay UTC days.
/// [budgets.batch]
/// daily = "25"                    # dollars: a string or a number, at most 6 decimals
/// monthly = 500
/// warn_pct = 80                   # default 80
/// critical_pct = 100              # default 100
/// [budgets.realtime]
/// daily = 40
/// [prices]
/// file = "~/.config/batchtop/prices.toml"
/// ```
public struct SpendSettings: Sendable {
    /// The time zone calendar days are computed in (`CalendarDay.utc` by default).
    public var timeZone: TimeZone
    /// Budgets per lane, in lane order.
    public var budgets: [Budget]
    /// A user price file overriding the shipped table, if set.
    public var priceFile: URL?

    public init(timeZone: TimeZone = CalendarDay.utc, budgets: [Budget] = [], priceFile: URL? = nil) {
        self.timeZone = timeZone; self.budgets = budgets; self.priceFile = priceFile
    }

    static let spendKeys: Set<String> = ["time_zone"]
    static let budgetKeys: Set<String> = ["daily", "monthly", "warn_pct", "critical_pct"]
    static let priceKeys: Set<String> = ["file"]

    /// The budget of `lane`, if configured.
    public func budget(for lane: Lane) -> Budget? { budgets.first { $0.lane == lane } }

    /// The price table: the shipped default, overlaid with `priceFile` when set.
    public func priceTable() throws(PriceTableError) -> PriceTable {
        if let priceFile { return try PriceTable.loadingUserFile(at: priceFile.path) }
        return try PriceTable.shippedDefault()
    }

    /// Parses the three sections of a config file; errors name the file, line and fix.
    static func parse(_ file: FileSection, home: URL, warnings: inout [ConfigWarning]) throws -> SpendSettings {
        var settings = SpendSettings()
        let spend = try file.section("spend", known: spendKeys, warnings: &warnings)
        if let zone = try spend.string("time_zone") {
            guard let tz = TimeZone(identifier: zone.value) else {
                throw ConfigError.invalidValue(
                    path: file.path, line: spend.line("time_zone"), key: "[spend] time_zone",
                    message: "\"\(zone.value)\" is not a time zone; use an IANA name such as \"UTC\" or \"Europe/Berlin\"")
            }
            settings.timeZone = tz
        }
        let prices = try file.section("prices", known: priceKeys, warnings: &warnings)
        settings.priceFile = try prices.path("file", home: home)?.value

        guard let budgetsValue = file.values["budgets"] else { return settings }
        guard let lanes = budgetsValue.tableValue else {
            throw ConfigError.invalidValue(path: file.path, line: file.line("budgets"), key: "budgets",
                                           message: "expected tables [budgets.batch] / [budgets.realtime], found \(budgetsValue.typeName)")
        }
        let budgets = try file.section("budgets", known: Set(Lane.allCases.map(\.rawValue)), warnings: &warnings)
        for lane in Lane.allCases where lanes[lane.rawValue] != nil {
            let section = try budgets.section(lane.rawValue, known: budgetKeys, warnings: &warnings)
            let key = "[budgets.\(lane.rawValue)]"
            func money(_ name: String) throws -> MicroDollars? {
                guard let value = section.values[name] else { return nil }
                var amount: MicroDollars?
                switch value {
                case .string(let s): amount = Budget.dollars(s)
                case .integer(let i): amount = Budget.dollars(String(i))
                case .double(let d): amount = TokenRate(dollarsPerMillion: d).map { MicroDollars($0.microDollarsPerMillion) }
                default: amount = nil
                }
                guard let amount else {
                    throw ConfigError.invalidValue(path: file.path, line: section.line(name), key: "\(key) \(name)",
                                                   message: "\(value) is not an amount of dollars; write e.g. 25 or \"12.50\" (0 or more, at most 6 decimals)")
                }
                return amount
            }
            var budget = Budget(lane: lane, daily: try money("daily"), monthly: try money("monthly"))
            if let w = try section.integer("warn_pct", range: 1...10_000) { budget.warningPercent = w.value }
            if let c = try section.integer("critical_pct", range: 1...10_000) { budget.criticalPercent = c.value }
            if let problem = budget.validationErrors().first {
                throw ConfigError.invalidValue(path: file.path, line: section.line("warn_pct"), key: key, message: problem)
            }
            settings.budgets.append(budget)
        }
        return settings
    }
}

extension BatchtopConfig {
    /// Options for an `OpenAIClient` that calls the organisation usage and costs endpoints with the admin key;
    /// nil when no admin key is configured (`OPENAI_ADMIN_KEY` or `[api] admin_key_file`).
    public func adminClientOptions() -> OpenAIClientOptions? {
        guard let key = api.adminKey?.value, !key.isEmpty else { return nil }
        return OpenAIClientOptions(
            baseURL: api.baseURL.value, apiKey: key, organization: api.organization?.value,
            timeoutSeconds: api.timeoutSeconds.value, retry: RetryPolicy(maxRetries: api.maxRetries.value))
    }
}
