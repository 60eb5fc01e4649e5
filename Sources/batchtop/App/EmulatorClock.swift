import BatchEmulator
import BatchKit
import Foundation

/// The emulator's simulated time as a `WallClock`, so the demo's worker, store and screen agree
/// with the world they watch.
struct EmulatorClock: WallClock {
    let clock: SimulatedClock

    func now() -> Date { Date(timeIntervalSince1970: clock.nowExact()) }
}
