import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// An OpenAI-compatible Batch API on loopback: files, batches, the real-time endpoints and the organisation
/// usage/costs/rate-limit endpoints, on a simulated clock, with faults on demand.
///
/// ```swift
/// let server = EmulatorServer(config: config)
/// let port = try await server.start()      // port 0 in the config picks a free one
/// // point a client at server.baseURL with EmulatorConfig.defaultProjectKey ...
/// server.advance(seconds: 3600)            // manual clock
/// await server.stop()
/// ```
public final class EmulatorServer: Sendable {
    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        /// What went wrong and what to try.
        public var description: String

        /// An error saying `description`.
        public init(description: String) { self.description = description }
    }

    /// The configuration it runs with.
    public let config: EmulatorConfig
    /// Faults to inject into upcoming requests.
    public var faults: FaultInjector { engine.faults }
    /// The simulated clock.
    public var clock: SimulatedClock { engine.clock }

    let engine: EmulatorEngine
    private let ownsDirectory: Bool
    private let state = Mutex<(server: HTTPServer?, task: Task<Void, any Error>?, port: UInt16?)>((nil, nil, nil))

    /// Builds the world of `config.scenario`; nothing listens until `start()`.
    public init(config: EmulatorConfig) throws {
        self.config = config
        let directory: URL
        if let given = config.dataDirectory {
            directory = given
            ownsDirectory = false
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("batchtop-emulator-\(UUID().uuidString)")
            ownsDirectory = true
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StartError(description: "cannot create the emulator's data directory \(directory.path): \(error.localizedDescription)")
        }
        engine = EmulatorEngine(config: config, directory: directory)
    }

    /// Starts listening on 127.0.0.1; returns the port (the chosen one when the config says 0).
    @discardableResult
    public func start() async throws -> UInt16 {
        if let port = state.withLock({ $0.port }) { return port }
        let address: sockaddr_in
        do { address = try sockaddr_in.inet(ip4: "127.0.0.1", port: config.port) } catch {
            throw StartError(description: "cannot build the loopback address: \(error)")
        }
        let serverConfig = HTTPServer.Configuration(
            address: address, timeout: 600,
            sharedRequestBufferSize: 64 * 1024, sharedRequestReplaySize: 1024 * 1024,
            pool: NoDelaySocketPool(base: HTTPServer.defaultPool()), logger: .disabled)
        let server = HTTPServer(config: serverConfig, handler: EmulatorHandler(engine: engine))
        let task = Task { try await server.run() }
        do {
            try await server.waitUntilListening(timeout: 10)
        } catch {
            task.cancel()
            throw StartError(description: "the emulator could not listen on 127.0.0.1:\(config.port) (\(error)); is the port in use?")
        }
        guard case .ip4(_, let port)? = await server.listeningAddress else {
            await server.stop()
            throw StartError(description: "the emulator started but has no IPv4 loopback address")
        }
        state.withLock { $0 = (server, task, port) }
        return port
    }

    /// The port it listens on, once started.
    public var port: UInt16? { state.withLock { $0.port } }

    /// `http://127.0.0.1:PORT/v1`, once started: the base URL a client uses.
    public var baseURL: URL? { port.flatMap { URL(string: "http://127.0.0.1:\($0)/v1") } }

    /// Stops listening and, when it made its own data directory, removes it.
    public func stop() async {
        let (server, task) = state.withLock { state -> (HTTPServer?, Task<Void, any Error>?) in
            let taken = (state.server, state.task)
            state = (nil, nil, nil)
            return taken
        }
        // Why a race: FlyingFox waits for open connections to finish, and a client stuck mid-request (say,
        // still sending an enormous header) must not keep the emulator from stopping.
        let latch = Latch()
        Task { await server?.stop(timeout: 1); latch.open() }
        Task { try? await Task.sleep(nanoseconds: 3_000_000_000); latch.open() }
        await latch.wait()
        task?.cancel()
        if ownsDirectory { try? FileManager.default.removeItem(at: engine.directory) }
    }

    /// Moves the simulated clock forward and applies every transition that becomes due.
    public func advance(seconds: Double) {
        engine.clock.advance(seconds: seconds)
        _ = try? engine.withWorld { $0.now }
    }

    /// The simulated time now, unix seconds.
    public func now() -> Int64 { engine.clock.now() }

    /// Requests per endpoint and batches created so far.
    public func counters() -> EmulatorCounters { engine.counters() }

    /// Forgets the request counts (batches created stays: it is part of the world).
    public func resetCounters() { engine.tally.reset() }

    /// The status of a batch, for tests that want to look without an HTTP round trip.
    public func batchStatus(id: String) -> String? {
        try? engine.withWorld { world in world.batchIndex[id].map { world.batches[$0].status } }
    }
}
