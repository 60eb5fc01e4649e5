import ArgumentParser
import BatchKit
import Foundation

/// `batchtop results ID -o FILE [--include-errors]`: one JSONL across a job and its resubmits.
struct ResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Merge a job's results with its resubmits' by custom_id: each input answered once, in input order.")

    @Argument(help: ArgumentHelp("Any job of the resubmit chain.", valueName: "id"))
    var id: String

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the merged JSONL.", valueName: "file"))
    var output: String

    @Flag(name: .long, help: "Also write the last error line (or a `missing` line) for requests that never succeeded.")
    var includeErrors = false

    @OptionGroup var options: OperationsOptions

    func run() async throws {
        let service = try options.service(needsAPI: false)
        let url = URL(fileURLWithPath: (output as NSString).expandingTildeInPath)
        let summary = try await operation { try await service.mergeResults(id, to: url, includeErrors: includeErrors) }
        say(SafeText(lines: summary.message))
        say("wrote \(url.path)")
    }
}
