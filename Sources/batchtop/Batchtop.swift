import ArgumentParser
import BatchKit

/// The `batchtop` command: the dashboard and every headless view and operation.
@main
struct Batchtop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batchtop",
        abstract: "Operate the OpenAI Batch API lane: live jobs, queue depth, spend per lane, routing decisions.",
        version: BatchtopVersion.current,
        subcommands: [JobsCommand.self, JobCommand.self, InfoCommand.self, EmulatorCommand.self, ThemesCommand.self, SubmitCommand.self, QueueCommand.self]
    )
}
