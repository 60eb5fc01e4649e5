import ArgumentParser
import BatchKit

/// `batchtop resubmit ID [--failed-only]`: one new batch linked to the old one.
struct ResubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubmit",
        abstract: "Resubmit a finished job as a new batch, whole or only the requests that did not succeed.")

    @Argument(help: ArgumentHelp("The provider batch id or batchtop job id.", valueName: "id"))
    var id: String

    @Flag(name: .long, help: "Send only failed, expired, cancelled or missing requests (joined by custom_id).")
    var failedOnly = false

    @OptionGroup var options: OperationsOptions

    func run() async throws {
        let service = try options.service(needsAPI: true)
        // Rule: no separate reconcile step here, why: resubmit reconciles first itself and must see what
        // it settled, so that a batch an interrupted run already made is returned instead of duplicated.
        let outcome = try await operation { try await service.resubmit(id, failedOnly: failedOnly) }
        say("\(outcome.message, limit: 2000)")
        say("lineage: \(try service.store.lineage(of: outcome.batch.id).map(\.id).joined(separator: " -> "))")
    }
}
