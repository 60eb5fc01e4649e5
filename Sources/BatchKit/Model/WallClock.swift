import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The source of "now" for everything that schedules or stamps; injected so tests move time by hand.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

extension WallClock {
    /// The current time as unix seconds.
    public func unixNow() -> Int64 { Int64(now().timeIntervalSince1970.rounded(.down)) }
}

/// The real system clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Elapsed time that no wall-clock change moves: seconds since an arbitrary start, never decreasing.
///
/// Rule: how long something took is measured on this clock, never as a difference of wall times, why:
/// a wall clock can be set hours ahead or behind (by hand, by NTP, on another machine), and a lease
/// judged by it was either held for hours by a dead poller or taken from a live one.
public protocol MonotonicClock: Sendable {
    /// Seconds since an arbitrary fixed start (on Linux, CLOCK_MONOTONIC: since boot, shared by every
    /// process of the machine).
    func monotonicSeconds() -> Double
}

/// The system's monotonic clock.
public struct SystemMonotonicClock: MonotonicClock {
    public init() {}
    public func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

/// A clock that only moves when told to; for tests.
///
/// It keeps wall and monotonic time: `advance(by:)` is time passing (both move), `set(_:)` is the
/// wall clock being changed (monotonic time stays).
public final class ManualClock: WallClock, MonotonicClock {
    private let current: Mutex<(wall: Date, elapsed: Double)>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex((start, 1_000))
    }

    public func now() -> Date { current.withLock { $0.wall } }

    public func monotonicSeconds() -> Double { current.withLock { $0.elapsed } }

    /// Moves the clock forward by `seconds` (monotonic time too, when `seconds` is positive).
    public func advance(by seconds: TimeInterval) {
        current.withLock {
            $0.wall = $0.wall.addingTimeInterval(seconds)
            $0.elapsed += max(0, seconds)
        }
    }

    /// Sets the wall clock to `date` (monotonic time does not move).
    public func set(_ date: Date) { current.withLock { $0.wall = date } }
}
