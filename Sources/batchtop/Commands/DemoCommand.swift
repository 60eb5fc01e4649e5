import ArgumentParser
import BatchEmulator
import BatchKit
import Foundation

/// `batchtop demo`: the dashboard on a built-in Batch API emulator, no key and no network needed.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the dashboard on a built-in Batch API emulator with a demo organisation (no API key needed).",
        discussion: """
        Starts the emulator in-process with the demo scenario on an accelerated clock, a fresh temporary \
        database (or --db), the sync worker and the dashboard. Quitting stops everything and removes the \
        temporary files. Time on screen is the emulator's simulated time.
        """)

    @Option(help: "Simulated seconds per real second.")
    var speed: Double = 30

    @Option(help: "Seed of the demo world; the same seed gives the same world.")
    var seed: UInt64 = 42

    @Option(name: .long, help: ArgumentHelp("Keep the demo database here instead of a temporary file.", valueName: "path"))
    var db: String?

    @OptionGroup var dashboard: DashboardOptions

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 10_000 else {
            throw ValidationError("--speed must be above 0 and at most 10000, got \(speed).")
        }
    }

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("batchtop-demo-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        FileLogHandler.bootstrap(url: scratch.appendingPathComponent("batchtop.log"))

        var emulatorConfig = EmulatorConfig()
        emulatorConfig.port = 0
        emulatorConfig.scenario = .demo
        emulatorConfig.seed = seed
        emulatorConfig.clockMode = .accelerated(speed: speed)
        emulatorConfig.dataDirectory = scratch.appendingPathComponent("emulator")
        let server = try EmulatorServer(config: emulatorConfig)
        _ = try await server.start()
        guard let baseURL = server.baseURL else {
            await server.stop()
            throw CommandFailure("the demo emulator did not start")
        }

        let dataDirectory = scratch.appendingPathComponent("data")
        let databaseURL = db.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
            ?? dataDirectory.appendingPathComponent("batchtop.sqlite")
        let clock = EmulatorClock(clock: server.clock)
        let api = OpenAIClient(
            options: OpenAIClientOptions(
                baseURL: baseURL, apiKey: Secret(emulatorConfig.projectKey),
                stagingDirectory: dataDirectory.appendingPathComponent("tmp")),
            clock: clock)
        let store = try BatchStore(url: databaseURL, profile: .resident)
        let identity = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "operator"
        // The demo operator may approve the advisor's proposals, but not their own reclassifications.
        let operations = OperationsService(
            store: store, api: api, clock: clock, actor: identity,
            settings: OperationsSettings(approvers: [identity]), dataDirectory: dataDirectory,
            readOnly: dashboard.readonly,
            secrets: [Secret(emulatorConfig.projectKey), Secret(emulatorConfig.adminKey)])
        let env = AppEnvironment(
            store: store, api: api, clock: clock, dataDirectory: dataDirectory,
            config: nil, accountLabel: "demo \(emulatorConfig.organizationID) (simulated time \(Self.speedText(speed))x)",
            baseURL: baseURL, timeScale: speed, prices: try PriceTable.shippedDefault(),
            organization: OpenAIClient(options: OpenAIClientOptions(baseURL: baseURL, apiKey: Secret(emulatorConfig.adminKey)), clock: clock),
            operations: operations,
            pump: SubmissionPump(api: api, store: store, clock: clock, limits: AdmissionLimits(),
                                 workDirectory: dataDirectory.appendingPathComponent("chunks"), actor: identity))
        // A short real-time interval so the demo moves visibly; the worker's rules are otherwise unchanged.
        let worker = SyncWorker(cycle: env.syncCycle(), policy: SyncPolicy(activeInterval: 1, idleInterval: 5))
        let launcher = DashboardLauncher(
            environment: env, options: dashboard, configuredTheme: nil, readOnly: dashboard.readonly,
            worker: worker, performer: OperationsPerformer.make(environment: env, readOnly: dashboard.readonly))
        if dashboard.once {
            // One frame of a fresh demo: sync once first so the frame shows the world, not an empty list.
            _ = try? await env.syncCycle().runOnce()
            await env.afterCycle(readOnly: dashboard.readonly)()
        }
        let code: Int32
        do {
            code = try await launcher.run()
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        if code != 0 { throw ExitCode(code) }
    }

    private static func speedText(_ speed: Double) -> String {
        speed == speed.rounded() ? String(Int(speed)) : String(speed)
    }
}
