import ArgumentParser
import BatchKit
import Foundation

/// What every operations command shares: `--config`, `--db`, `--readonly`, and building the
/// `OperationsService` from the configuration.
struct OperationsOptions: ParsableArguments {
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    @Flag(name: .long, help: "Refuse every write (also [ui] readonly = true in config.toml).")
    var readonly = false

    /// The service acting as the configured identity; `needsAPI` fails early without a key.
    func service(needsAPI: Bool) throws -> OperationsService {
        let config = try exitOnConfigError { try configOptions.load(databaseFlag: database.db) }
        let settings = try exitOnConfigError {
            try OperationsSettings.parse(config.reservedSections, path: config.paths.configFile.value.path)
        }
        let prices = try exitOnConfigError { try config.spend.priceTable() }
        guard let actor = config.identity.name?.value, !actor.isEmpty else { throw CommandFailure(OperationError.noIdentity.description) }
        let readOnly = readonly || config.ui.readonly.value
        // Provider actions may start from an empty database (the job is fetched); read views need one.
        let store = warnAboutFile(needsAPI ? try BatchStore(paths: config.paths) : try BatchStore.openExisting(paths: config.paths))
        var api: (any BatchAPI)? = nil
        let log = RequestIDLog()
        if config.api.apiKey != nil {
            api = OpenAIClient(options: try config.clientOptions(), observer: { log.observe($0) })
        } else if needsAPI && !readOnly {
            throw CommandFailure(ConfigError.noAPIKey(configFile: config.paths.configFile.value.path).description)
        }
        return OperationsService(store: store, api: api, clock: SystemClock(), actor: actor, settings: settings, prices: prices,
                                 dataDirectory: config.paths.dataDirectory.value, readOnly: readOnly, requestIDs: log,
                                 secrets: config.api.secrets)
    }
}

/// Runs an operation, turning an `OperationError` into a clean message and exit code 1.
func operation<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as OperationError {
        throw CommandFailure(error.description)
    } catch let error as BatchCreateError {
        throw CommandFailure(error.description)
    } catch let error as APIError {
        throw CommandFailure(error.description)
    } catch let error as OutputFileError {
        throw CommandFailure(error.description)
    }
}
