import BatchEmulator
import BatchKit
import Foundation

/// An emulator started in-process on an ephemeral loopback port with a manual clock, for tests.
///
/// ```swift
/// let emulator = try await EmulatorHarness.start(scenario: .demo)
/// defer { Task { await emulator.stop() } }   // or `await emulator.stop()` at the end of the test
/// // client: baseURL = emulator.baseURL, key = emulator.projectKey, admin = emulator.adminKey
/// emulator.advance(seconds: 3600)
/// emulator.faults.add(FaultRule(.status(429, retryAfter: 1), endpoint: "GET /v1/batches"))
/// ```
public final class EmulatorHarness: Sendable {
    /// The running server: clock, faults, counters.
    public let server: EmulatorServer
    /// `http://127.0.0.1:PORT/v1`.
    public let baseURL: URL
    /// The project key (files, batches, inference).
    public let projectKey: String
    /// The admin key (`/organization/*`).
    public let adminKey: String
    /// The project the project key belongs to.
    public let projectID: String
    /// A `WallClock` that reads the emulator's simulated time, so client and emulator agree on "now".
    public let clock: EmulatorWallClock

    private init(server: EmulatorServer, baseURL: URL) {
        self.server = server
        self.baseURL = baseURL
        projectKey = server.config.projectKey
        adminKey = server.config.adminKey
        projectID = server.config.projectID
        clock = EmulatorWallClock(server: server)
    }

    /// Starts an emulator; `configure` can change anything in the config (limits, failure rate, keys...).
    public static func start(scenario: ScenarioName = .empty, seed: UInt64 = 42, controlEnabled: Bool = true,
                             configure: (inout EmulatorConfig) -> Void = { _ in }) async throws -> EmulatorHarness {
        var config = EmulatorConfig()
        config.port = 0
        config.scenario = scenario
        config.seed = seed
        config.clockMode = .manual
        config.controlEnabled = controlEnabled
        configure(&config)
        let server = try EmulatorServer(config: config)
        try await server.start()
        guard let baseURL = server.baseURL else {
            await server.stop()
            throw EmulatorServer.StartError(description: "the emulator started without a base URL")
        }
        return EmulatorHarness(server: server, baseURL: baseURL)
    }

    /// The emulator's root without a trailing slash (`http://127.0.0.1:PORT`), for the control API under `/_emulator`.
    public var rootURL: URL {
        URL(string: "http://127.0.0.1:\(server.port ?? 0)") ?? baseURL
    }

    /// Moves simulated time forward and applies what becomes due.
    public func advance(seconds: Double) { server.advance(seconds: seconds) }

    /// Faults for upcoming requests.
    public var faults: FaultInjector { server.faults }

    /// Requests per endpoint and batches created.
    public func counters() -> EmulatorCounters { server.counters() }

    /// Stops the server and removes its files.
    public func stop() async { await server.stop() }
}

/// The emulator's simulated clock as a BatchKit `WallClock`.
public struct EmulatorWallClock: WallClock {
    let server: EmulatorServer
    /// The emulator's simulated now.
    public func now() -> Date { Date(timeIntervalSince1970: server.clock.nowExact()) }
}
