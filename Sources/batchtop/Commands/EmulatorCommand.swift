import ArgumentParser
import BatchEmulator
import BatchKit
import Dispatch
import Foundation
import Synchronization

/// `batchtop emulator`: an OpenAI-compatible Batch API on loopback, until Ctrl-C or SIGTERM.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run an OpenAI-compatible Batch API emulator on 127.0.0.1 (no network, no real key).",
        discussion: """
        Point any OpenAI client at the printed base URL with the printed keys. Time is simulated: --speed sets \
        simulated seconds per real second. With --control, /_emulator/clock/advance, /_emulator/faults and \
        /_emulator/counters are available for tests.
        """
    )

    @Option(help: "Loopback port to listen on (0 picks a free one).")
    var port: UInt16 = 8787

    @Option(help: "Starting world: \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: String = "empty"

    @Option(help: "Simulated seconds per real second (1 = real time).")
    var speed: Double = 1

    @Option(help: "Seed of every random choice; the same seed gives the same world.")
    var seed: UInt64 = 42

    @Flag(help: "Enable the /_emulator control API (advance time, inject faults, read counters).")
    var control = false

    func validate() throws {
        guard ScenarioName(rawValue: scenario) != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; use one of: \(ScenarioName.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard speed.isFinite, speed > 0, speed <= 100_000 else {
            throw ValidationError("--speed must be a number above 0 and at most 100000, got \(speed).")
        }
    }

    func run() async throws {
        var config = EmulatorConfig()
        config.port = port
        config.scenario = ScenarioName(rawValue: scenario) ?? .empty
        config.clockMode = .accelerated(speed: speed)
        config.seed = seed
        config.controlEnabled = control
        let server = try EmulatorServer(config: config)
        let bound: UInt16
        do {
            bound = try await server.start()
        } catch {
            throw ValidationError("\(error)")
        }
        let banner = """
        batchtop emulator listening (scenario \(config.scenario.rawValue), speed \(speed)x, seed \(seed))
          base URL:     http://127.0.0.1:\(bound)/v1
          project key:  \(config.projectKey)   (files, batches, chat/responses/embeddings)
          admin key:    \(config.adminKey)   (organization usage, costs, rate limits)
          project id:   \(config.projectID)
        \(control ? "  control API:  http://127.0.0.1:\(bound)/_emulator/{clock,clock/advance,faults,counters}\n" : "")
          export OPENAI_BASE_URL=http://127.0.0.1:\(bound)/v1 OPENAI_API_KEY=\(config.projectKey) OPENAI_ADMIN_KEY=\(config.adminKey)
        Ctrl-C stops it.

        """
        // Written unbuffered so a script reading our stdout through a pipe sees the URL at once.
        Console.write(SafeText(lines: banner))
        await TerminationSignal().wait()
        say("stopping emulator")
        await server.stop()
    }
}
