import ArgumentParser
import BatchKit
import Foundation

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

    /// Parses and runs the command; every message ArgumentParser would print (usage errors, help, a
    /// thrown error's description) goes through `Console` instead.
    ///
    /// Rule: ArgumentParser's own `exit(withError:)` is never called, why: it prints the error's
    /// description raw, and that description can quote provider data or an argument with escapes.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = SafeText(lines: fullMessage(for: error))
            if !message.isEmpty {
                if code == .success { Console.say(message) } else { Console.warn(message) }
            }
            Foundation.exit(code.rawValue)
        }
    }
}
