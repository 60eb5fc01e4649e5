import BatchKit
import Foundation
import Logging

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
    /// Operator actions as the configured identity; nil when no identity could be resolved.
    var operations: OperationsService?
    /// Admits held submission chunks as capacity frees; run after each cycle.
    var pump: SubmissionPump?

    /// Opens the configured account: loads config, requires a key, opens (creating) the database.
    ///
    /// - Parameter profile: `.resident` for processes that stay (the dashboard, `sync` polling until
    ///   Ctrl-C), `.command` for one-shot runs (see `BatchStore.Profile`).
    static func open(configOptions: ConfigOptions, databaseFlag: String?, profile: BatchStore.Profile = .resident) throws -> AppEnvironment {
        try open(config: configOptions.load(databaseFlag: databaseFlag), profile: profile)
    }

    /// Opens the account an already loaded configuration describes.
    static func open(config: BatchtopConfig, profile: BatchStore.Profile = .resident) throws -> AppEnvironment {
        let api = try OpenAIClient(config: config)
        let store = try BatchStore(paths: config.paths, profile: profile)
        let base = config.api.baseURL.value
        let label = config.api.organization?.value ?? config.api.project?.value ?? base.host ?? Secret.maskedURL(base)
        let settings = try OperationsSettings.parse(config.reservedSections, path: config.paths.configFile.value.path)
        let operations = config.identity.name.map { identity in
            OperationsService(
                store: store, api: api, clock: SystemClock(), actor: identity.value, settings: settings,
                dataDirectory: config.paths.dataDirectory.value, readOnly: config.ui.readonly.value,
                secrets: config.api.secrets)
        }
        // Limits from [lanes.limits] only: start-up makes no network call; `submit` also asks the API.
        let lanes = try LanesSettings(config: config)
        let pump = SubmissionPump(
            api: api, store: store, clock: SystemClock(), limits: lanes.tokenLimits,
            workDirectory: config.paths.dataDirectory.value.appendingPathComponent("chunks"),
            actor: config.identity.name?.value ?? "batchtop")
        return AppEnvironment(
            store: store, api: api, clock: SystemClock(), dataDirectory: config.paths.dataDirectory.value,
            config: config, accountLabel: label, baseURL: base, spendSettings: config.spend,
            prices: try config.spend.priceTable(),
            organization: config.adminClientOptions().map { OpenAIClient(options: $0) }, operations: operations,
            pump: pump)
    }

    /// What follows every sync cycle: (unless read-only) held chunks admitted as capacity frees, the
    /// spend ledger refreshed, and (unless read-only) the advisor raising decisions and moot ones expiring. Failures leave the previous figures and are logged.
    func afterCycle(readOnly: Bool) -> @Sendable () async -> Void {
        let spend = spendSync()
        let operations = readOnly ? nil : self.operations
        let pump = readOnly ? nil : self.pump
        let prices = self.prices
        return {
            let log = Logger(label: "batchtop.after-cycle")
            if let pump {
                do { _ = try await pump.step() } catch { log.warning("held chunks not admitted: \(error)") }
            }
            do { _ = try await spend.run() } catch { log.warning("spend ledger not refreshed: \(error)") }
            guard let operations else { return }
            do {
                _ = try operations.expireMootDecisions()
                _ = try Advisor(prices: prices).run(operations)
            } catch {
                log.warning("advisor did not run: \(error)")
            }
        }
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
