import Foundation
import Synchronization

/// The emulator without HTTP: clock, world, faults and counters; handlers call into it.
final class EmulatorEngine: Sendable {
    let config: EmulatorConfig
    let clock: SimulatedClock
    let directory: URL
    let faults = FaultInjector()
    let tally = RequestTally()
    private let world: Mutex<EmulatorWorld>
    private let requestSequence = Atomic<UInt64>(0)
    private let minuteWindow = Mutex<(minute: Int64, requests: Int, tokens: Int)>((0, 0, 0))

    init(config given: EmulatorConfig, directory: URL) {
        var config = given
        if config.scenario == .demo { DemoScenario.adjust(&config) }
        self.config = config
        self.directory = directory
        let start: Int64
        switch config.clockMode {
        case .manual: start = config.startTime ?? EmulatorConfig.defaultManualStart
        case .accelerated: start = config.startTime ?? Int64(Date().timeIntervalSince1970)
        }
        clock = SimulatedClock(start: start, mode: config.clockMode)
        var world = EmulatorWorld(config: config, directory: directory, start: start)
        Scenarios.build(config.scenario, into: &world, now: start)
        self.world = Mutex(world)
    }

    /// Runs `body` on the world advanced to the simulated now.
    func withWorld<T>(_ body: (inout EmulatorWorld) throws(APIError) -> T) throws(APIError) -> T {
        let now = clock.now()
        return try world.withLock { (world: inout EmulatorWorld) throws(APIError) -> T in
            world.advance(to: now)
            return try body(&world)
        }
    }

    /// A fresh `x-request-id`; independent of the world's seed so polling never changes the world.
    func nextRequestID() -> String {
        let n = requestSequence.wrappingAdd(1, ordering: .relaxed).newValue
        var rng = SeededGenerator(seed: config.seed, stream: "request-\(n)")
        return "req_" + rng.token(32, alphabet: SeededGenerator.hex)
    }

    /// Counts a real-time request against the per-minute window and returns the rate-limit headers.
    func rateLimitHeaders(tokens: Int) -> [(String, String)] {
        let now = clock.now()
        let minute = now / 60
        let (requests, used) = minuteWindow.withLock { window -> (Int, Int) in
            if window.minute != minute { window = (minute, 0, 0) }
            window.requests += 1
            window.tokens += tokens
            return (window.requests, window.tokens)
        }
        let reset = "\(60 - now % 60)s"
        return [
            ("x-ratelimit-limit-requests", "10000"), ("x-ratelimit-remaining-requests", String(max(0, 10_000 - requests))),
            ("x-ratelimit-reset-requests", reset),
            ("x-ratelimit-limit-tokens", "10000000"), ("x-ratelimit-remaining-tokens", String(max(0, 10_000_000 - used))),
            ("x-ratelimit-reset-tokens", reset),
        ]
    }

    /// Counters as of now.
    func counters() -> EmulatorCounters {
        let created = world.withLock { $0.batchesCreated }
        return EmulatorCounters(requests: tally.snapshot, batchesCreated: created)
    }
}
