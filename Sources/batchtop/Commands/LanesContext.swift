import ArgumentParser
import BatchKit
import Foundation

/// What `submit` and `queue` share: config, store, limits, the pump and the runner.
struct LanesContext {
    let config: BatchtopConfig
    let settings: LanesSettings
    let store: BatchStore
    let limits: AdmissionLimits
    let limitsSource: String

    /// Loads config and opens (creating) the database; `fetchLimits` asks the provider with the admin key.
    static func load(configOptions: ConfigOptions, database: DatabaseOption, fetchLimits: Bool) async throws -> LanesContext {
        let config = try exitOnConfigError { try configOptions.load(databaseFlag: database.db) }
        let settings: LanesSettings
        do {
            settings = try LanesSettings(config: config)
        } catch {
            // Same treatment as a ConfigError: the message, then EX_CONFIG.
            Console.warn("batchtop: \(error.description)")
            throw ExitCode(78)
        }
        let url = config.paths.database.value   // --db already resolved by the loader
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let store = try BatchStore(paths: config.paths)
        var limits = AdmissionLimits()
        var source = "none known: chunks are not held (set [lanes.limits] or an admin key and project)"
        if fetchLimits, let admin = config.api.adminKey?.value, let project = config.api.project?.value {
            var options = try config.clientOptions()
            options.apiKey = admin
            do {
                limits = try await OpenAIClient(options: options).projectBatchTokenLimits(projectID: project)
                source = "project rate limits (admin key)"
            } catch {
                Console.warn("batchtop: could not read the project's rate limits (\(String(describing: error), limit: 2000)); using [lanes.limits] only")
            }
        }
        if !settings.tokenLimits.perModel.isEmpty {
            limits.perModel.merge(settings.tokenLimits.perModel) { _, configured in configured }
            source = limits.perModel.count == settings.tokenLimits.perModel.count ? "config [lanes.limits]" : "config [lanes.limits] over project rate limits"
        }
        return LanesContext(config: config, settings: settings, store: store, limits: limits, limitsSource: source)
    }

    func pump(api: any BatchAPI, clock: any WallClock) -> SubmissionPump {
        SubmissionPump(api: api, store: store, clock: clock, limits: limits,
                       workDirectory: config.paths.dataDirectory.value.appendingPathComponent("chunks"),
                       actor: config.identity.name?.value ?? "batchtop")
    }
}
