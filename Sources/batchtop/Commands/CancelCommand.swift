import ArgumentParser
import BatchKit

/// `batchtop cancel ID...`: ask the provider to cancel jobs.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Ask the provider to cancel one or more jobs (idempotent; finished jobs are refused with the reason).")

    @Argument(help: ArgumentHelp("Provider batch ids or batchtop job ids.", valueName: "id"))
    var ids: [String]

    @OptionGroup var options: OperationsOptions

    func validate() throws {
        if ids.isEmpty { throw ValidationError("name at least one job id") }
        if let bad = ids.first(where: { $0.isEmpty || $0.count > 256 }) { throw ValidationError("job ids are 1 to 256 characters, got \(bad.count)") }
    }

    func run() async throws {
        let service = try options.service(needsAPI: true)
        let outcomes = try await operation { try await service.cancel(ids) }
        for outcome in outcomes { say("\(outcome.message, limit: 2000)") }
        if outcomes.contains(where: { !$0.succeeded }) { throw ExitCode(1) }
    }
}
