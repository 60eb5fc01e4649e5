import ArgumentParser
import BatchKit
import Foundation
import Logging

/// `batchtop` (no subcommand): the live dashboard on the configured account.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Open the live dashboard on the configured account (the default command).",
        discussion: "Press ? inside for every key. With no API key configured, try `batchtop demo`.")

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var dashboard: DashboardOptions

    func run() async throws {
        let env = try exitOnConfigError {
            let config = try configOptions.load(databaseFlag: database.db)
            FileLogHandler.bootstrap(url: config.paths.stateDirectory.value.appendingPathComponent("batchtop.log"))
            return try AppEnvironment.open(config: config)
        }
        let config = env.config
        let readOnly = dashboard.readonly || (config?.ui.readonly.value ?? false)
        let worker = SyncWorker(cycle: env.syncCycle(), log: Logger(label: "batchtop.sync"))
        let launcher = DashboardLauncher(
            environment: env, options: dashboard, configuredTheme: config?.ui.theme.value, readOnly: readOnly,
            worker: worker, performer: OperationsPerformer.make(environment: env, readOnly: readOnly))
        let code = try await launcher.run()
        if code != 0 { throw ExitCode(code) }
    }
}
