import BatchEmulator
import TestSupport

/// Starts an emulator (manual clock, control API on), runs `body`, always stops it.
func withEmulator(scenario: ScenarioName = .empty, seed: UInt64 = 42,
                  configure: (inout EmulatorConfig) -> Void = { _ in },
                  _ body: (EmulatorHarness, HTTPTestClient) async throws -> Void) async throws {
    let harness = try await EmulatorHarness.start(scenario: scenario, seed: seed, configure: configure)
    let client = HTTPTestClient(harness)
    do {
        try await body(harness, client)
    } catch {
        await harness.stop()
        throw error
    }
    await harness.stop()
}
