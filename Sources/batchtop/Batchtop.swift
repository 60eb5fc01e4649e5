import ArgumentParser
import BatchKit

/// The `batchtop` command: the dashboard and every headless view and operation.
@main
struct Batchtop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batchtop",
        abstract: "Operate the OpenAI Batch API lane: live jobs, queue depth, spend per lane, routing decisions.",
        version: BatchtopVersion.current,
        subcommands: [
            DashboardCommand.self, DemoCommand.self, SyncCommand.self, JobsCommand.self, JobCommand.self,
            SpendCommand.self, CancelCommand.self, ResubmitCommand.self, ResultsCommand.self, ReclassifyCommand.self,
            DecisionsCommand.self, RouteCommand.self, AuditCommand.self, InfoCommand.self, EmulatorCommand.self,
            ThemesCommand.self, SubmitCommand.self, QueueCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}
