import Foundation
import Synchronization

/// Paces real-time requests by the provider's `x-ratelimit-*` headers.
///
/// Rule: when the last answer said no requests or tokens remain in the window, every sender waits for
/// the window's reset, why: sending anyway only earns 429s that cost a retry each.
public final class RateLimitPacer: Sendable {
    private struct Window { var remainingRequests: Int?; var remainingTokens: Int?; var resetAt: Double? }
    private let window = Mutex(Window())
    private let clock: any WallClock

    public init(clock: any WallClock) { self.clock = clock }

    /// Seconds to wait before the next send (0 when capacity remains).
    public func delay() -> Double {
        let now = clock.now().timeIntervalSince1970
        return window.withLock { w in
            guard let reset = w.resetAt, reset > now else { return 0 }
            let exhausted = (w.remainingRequests.map { $0 <= 0 } ?? false) || (w.remainingTokens.map { $0 <= 0 } ?? false)
            return exhausted ? reset - now : 0
        }
    }

    /// Takes in the headers of an answer.
    public func observe(_ headers: [String: String]) {
        let now = clock.now().timeIntervalSince1970
        let requests = headers["x-ratelimit-remaining-requests"].flatMap { Int($0) }
        let tokens = headers["x-ratelimit-remaining-tokens"].flatMap { Int($0) }
        let resets = [headers["x-ratelimit-reset-requests"], headers["x-ratelimit-reset-tokens"]]
            .compactMap { $0.flatMap(Self.duration) }
        window.withLock { w in
            if let requests { w.remainingRequests = requests }
            if let tokens { w.remainingTokens = tokens }
            if let longest = resets.max() { w.resetAt = now + longest }
        }
    }

    /// Parses the provider's reset durations: `1s`, `6m0s`, `20ms`, `1h2m3.5s`; nil when unreadable.
    public static func duration(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var chars = Array(text.trimmingCharacters(in: .whitespaces))
        guard !chars.isEmpty else { return nil }
        var i = 0
        var sawUnit = false
        while i < chars.count {
            let c = chars[i]
            if c.isNumber || c == "." { number.append(c); i += 1; continue }
            guard let value = Double(number) else { return nil }
            if c == "m", i + 1 < chars.count, chars[i + 1] == "s" { total += value / 1000; i += 2 }
            else if c == "h" { total += value * 3600; i += 1 }
            else if c == "m" { total += value * 60; i += 1 }
            else if c == "s" { total += value; i += 1 }
            else { return nil }
            number = ""; sawUnit = true
        }
        chars = []
        if !number.isEmpty { guard let value = Double(number) else { return nil }; total += value; sawUnit = true }
        return sawUnit && total.isFinite && total >= 0 ? total : nil
    }
}
