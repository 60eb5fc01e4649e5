import Foundation
import Synchronization

/// The emulator's notion of "now": manual for tests, or real time accelerated by `speed` for demos.
///
/// Both modes accept `advance(seconds:)` (the control API uses it), so a demo can also jump ahead.
public final class SimulatedClock: Sendable {
    /// How the clock moves on its own.
    public enum Mode: Sendable, Equatable {
        /// Only `advance(seconds:)` moves it.
        case manual
        /// `speed` simulated seconds pass per real second.
        case accelerated(speed: Double)
    }

    private struct State {
        var start: Double
        var offset: Double
        var realStart: UInt64
    }

    /// How the clock moves.
    public let mode: Mode
    private let state: Mutex<State>

    /// Creates a clock starting at `start` (unix seconds).
    public init(start: Int64, mode: Mode) {
        self.mode = mode
        state = Mutex(State(start: Double(start), offset: 0, realStart: DispatchTime.now().uptimeNanoseconds))
    }

    /// The current simulated time, unix seconds.
    public func now() -> Int64 { Int64(nowExact().rounded(.down)) }

    /// The current simulated time with fractions, unix seconds.
    public func nowExact() -> Double {
        state.withLock { state in
            var value = state.start + state.offset
            if case .accelerated(let speed) = mode {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds &- state.realStart) / 1e9
                value += elapsed * speed
            }
            return value
        }
    }

    /// Moves the clock forward; negative values are ignored (time never runs backwards).
    public func advance(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        state.withLock { $0.offset += seconds }
    }
}
