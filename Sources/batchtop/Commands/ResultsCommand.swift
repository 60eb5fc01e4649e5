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

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Where to write the merged JSONL: a file (created 0600, replaced atomically), a device or FIFO (written through), or - for standard output.",
        valueName: "file"))
    var output: String

    @Flag(name: .long, help: "Also write the last error line (or a `missing` line) for requests that never succeeded.")
    var includeErrors = false

    @OptionGroup var options: OperationsOptions

    func run() async throws {
        let service = try options.service(needsAPI: false)
        let destination = OutputDestination(argument: output)
        let summary = try await operation { try await service.mergeResults(id, into: destination, includeErrors: includeErrors) }
        // With `-o -` the results own standard output; the summary goes to stderr.
        if destination == .standardOutput {
            Console.warn(SafeText(lines: summary.message))
            Console.warn("wrote \(destination.description)")
        } else {
            say(SafeText(lines: summary.message))
            say("wrote \(destination.description)")
        }
    }
}
