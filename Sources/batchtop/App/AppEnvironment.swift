import BatchKit
import Foundation

/// What every live command needs, resolved once: store, API client, clock and where files go.
///
/// Passed down instead of globals so `demo` can swap in the emulator and its simulated clock.
struct AppEnvironment: Sendable {
    var store: BatchStore
    var api: any BatchAPI
    var clock: any WallClock
    /// Where downloaded result files and staged uploads live.
    var dataDirectory: URL
    /// The resolved configuration; nil in the demo, which must not depend on the user's files.
    var config: BatchtopConfig?
    /// What the header shows as the account (organisation or project, else the host).
    var accountLabel: String
    /// The API base URL, for the header.
    var baseURL: URL
    /// Simulated seconds per real second (1 outside the demo); converts the worker's real-time
    /// intervals into the clock's units for freshness.
    var timeScale: Double = 1
    /// Time zone, budgets and price file for spend.
    var spendSettings = SpendSettings()
    /// Rates used for costs; the shipped table unless `[prices] file` overrides it.
    var prices: PriceTable
    /// The admin-key client for organisation usage and costs; nil without an admin key.
    var organization: (any OrganizationReportsAPI)?

    /// Opens the configured account: loads config, requires a key, opens (creating) the database.
    static func open(configOptions: ConfigOptions, databaseFlag: String?) throws -> AppEnvironment {
        try open(config: configOptions.load(databaseFlag: databaseFlag))
    }

    /// Opens the account an already loaded configuration describes.
    static func open(config: BatchtopConfig) throws -> AppEnvironment {
        let api = try OpenAIClient(config: config)
        let store = try BatchStore(url: config.paths.database.value)
        let base = config.api.baseURL.value
        let label = config.api.organization?.value ?? config.api.project?.value ?? base.host ?? base.absoluteString
        return AppEnvironment(
            store: store, api: api, clock: SystemClock(), dataDirectory: config.paths.dataDirectory.value,
            config: config, accountLabel: label, baseURL: base, spendSettings: config.spend,
            prices: try config.spend.priceTable(),
            organization: config.adminClientOptions().map { OpenAIClient(options: $0) })
    }

    /// Refreshes the spend ledger after a cycle (idempotent); failures leave the previous figures.
    func spendSync() -> SpendSync {
        SpendSync(store: store, prices: prices, timeZone: spendSettings.timeZone, organization: organization, clock: clock)
    }

    /// The sync cycle over this environment's API and store.
    func syncCycle() -> SyncCycle {
        SyncCycle(api: api, store: store, clock: clock, claimant: .currentProcess(),
                  options: .openAI(dataDirectory: dataDirectory))
    }
}
