import ArgumentParser
import BatchKit
import Foundation

/// `batchtop route explain WORKLOAD`.
struct RouteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route", abstract: "Explain routing.", subcommands: [Explain.self])

    /// `route explain WORKLOAD [--endpoint E] [--model M]`.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain", abstract: "Which lane a workload goes to, by which rule or decision, since when.")
        @Argument(help: ArgumentHelp("The workload name.", valueName: "workload")) var workload: String
        @Option(name: .long, help: ArgumentHelp("The endpoint, for endpoint rules.", valueName: "path")) var endpoint: String?
        @Option(name: .long, help: ArgumentHelp("The model, for model rules.", valueName: "model")) var model: String?
        @OptionGroup var options: OperationsOptions

        func run() async throws {
            let service = try options.service(needsAPI: false)
            let e = try service.explain(workload: workload, endpoint: endpoint, model: model)
            say("\(workload, limit: 200): \(e.route.explanation, limit: 400)")
            if let since = e.since { say("since \(DecisionsCommand.stamp(since))") } else { say("since: as long as config.toml says so") }
            for d in e.pending { say("pending: \(DecisionsCommand.line(d))") }
        }
    }
}
