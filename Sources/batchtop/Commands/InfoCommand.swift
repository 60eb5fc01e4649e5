import ArgumentParser
import BatchKit
import Foundation

/// `batchtop info`: resolved paths, each setting's source, base URL, which keys are set (masked).
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show resolved paths, where each setting comes from, and which keys are set (never their values).")

    @OptionGroup var configOptions: ConfigOptions

    @Flag(name: .long, help: "Print JSON (versioned: {\"version\": 1, \"settings\": [...], \"warnings\": [...]}).")
    var json = false

    /// The JSON shape of `--json`; bump `version` on any incompatible change.
    struct Output: Codable {
        var version = 1
        var settings: [ConfigReport.Row]
        var warnings: [String]
    }

    func run() throws {
        let config: BatchtopConfig
        do {
            config = try configOptions.load()
        } catch let error as ConfigError {
            // A config error is not a usage error: say what is wrong without the usage text, exit EX_CONFIG.
            FileHandle.standardError.write(Data("batchtop: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
        let report = ConfigReport(config)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(Output(settings: report.rows, warnings: report.warnings))
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.renderedText())
            // Rule: a missing key is explained but info still succeeds, why: it is the command people run to find out.
            if config.api.apiKey == nil {
                print("\n" + ConfigError.noAPIKey(configFile: config.paths.configFile.value.path).description)
            }
        }
    }
}
