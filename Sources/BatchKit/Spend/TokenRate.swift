/// A price per token class, held exactly as integer micro-dollars per one million tokens.
///
/// Rule: a rate is stored as micro-dollars per 1M tokens (numerically, pico-dollars per token) and
/// parsed from its decimal text, why: list prices such as $0.175 or $0.0625 per 1M have no exact
/// binary floating-point form, and money must not drift. Six decimal places of a dollar per 1M
/// tokens is finer than any published price; a finer rate is rejected rather than rounded.
public struct TokenRate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Micro-dollars per one million tokens.
    public var microDollarsPerMillion: Int64

    /// A rate of `microDollarsPerMillion` micro-dollars per 1M tokens.
    public init(microDollarsPerMillion: Int64) {
        self.microDollarsPerMillion = microDollarsPerMillion
    }

    /// A free token class (moderation, embedding output).
    public static let free = TokenRate(microDollarsPerMillion: 0)

    /// Parses a non-negative decimal number of dollars per 1M tokens, e.g. `"0.0625"` or `"10"`.
    ///
    /// Returns nil for anything but plain decimal digits with at most six fractional digits: no sign,
    /// no exponent, no more than 13 integer digits.
    public init?(dollarsPerMillion text: String) {
        guard let micros = Self.parseDecimalMicros(text) else { return nil }
        microDollarsPerMillion = micros
    }

    /// Parses plain decimal text into millionths: `"1.25"` -> 1,250,000; nil for signs, exponents,
    /// more than six significant fractional digits or more than 13 integer digits.
    static func parseDecimalMicros(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var wholeDigits = 0
        var seenPoint = false
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let d = Int64(b - UInt8(ascii: "0"))
            if seenPoint {
                fractionDigits += 1
                // Trailing zeros beyond six places are harmless ("0.12500000").
                if fractionDigits > 6 {
                    if d != 0 { return nil }
                    continue
                }
                fraction = fraction * 10 + d
            } else {
                wholeDigits += 1
                if wholeDigits > 13 { return nil }
                whole = whole * 10 + d
            }
        }
        guard wholeDigits + fractionDigits > 0 else { return nil }
        while fractionDigits < 6 { fraction *= 10; fractionDigits += 1 }
        return whole * 1_000_000 + fraction
    }

    /// Parses a rate written as a TOML/JSON float, going through its shortest round-trip decimal text.
    ///
    /// Rule: `0.175` (stored as the nearest double) becomes exactly 175,000 micro-dollars per 1M, why:
    /// Swift prints the shortest text that reads back as the same double, which is what the user typed
    /// for any price with up to 15 significant digits.
    public init?(dollarsPerMillion value: Double) {
        guard value.isFinite, value >= 0 else { return nil }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        guard !text.contains("e") else {
            // Exponent notation only appears for very small or large values; 1e-05 etc.
            let scaled = (value * 1_000_000).rounded()
            guard abs(scaled - value * 1_000_000) < 1e-6, scaled < 9e15 else { return nil }
            self.init(microDollarsPerMillion: Int64(scaled))
            return
        }
        self.init(dollarsPerMillion: text)
    }

    /// The cost of `tokens` tokens at this rate, rounded half up to a whole micro-dollar.
    ///
    /// Rule: exact 128-bit product, one rounding per call, why: callers sum tokens per aggregate first
    /// and price once, so totals never drift by a micro-dollar per line. Negative token counts (only
    /// from corrupt input) are priced symmetrically; a result beyond `Int64` saturates.
    public func cost(ofTokens tokens: Int64) -> MicroDollars {
        let magnitude = tokens.magnitude
        let rate = UInt64(max(0, microDollarsPerMillion))
        let product = magnitude.multipliedFullWidth(by: rate)
        // Add half the divisor for round-half-up; carry into the high word.
        let (low, carry) = product.low.addingReportingOverflow(500_000)
        let high = product.high &+ (carry ? 1 : 0)
        guard high < 1_000_000 else { return MicroDollars(tokens < 0 ? Int64.min : Int64.max) }
        let quotient = UInt64(1_000_000).dividingFullWidth((high: high, low: low)).quotient
        guard quotient <= UInt64(Int64.max) else { return MicroDollars(tokens < 0 ? Int64.min : Int64.max) }
        let value = Int64(quotient)
        return MicroDollars(tokens < 0 ? -value : value)
    }

    /// `$1.25/1M`, with as many decimals as the rate needs.
    public var description: String {
        let sign = microDollarsPerMillion < 0 ? "-" : ""
        let magnitude = microDollarsPerMillion.magnitude
        let whole = magnitude / 1_000_000
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)$\(whole).\(fraction)/1M"
    }

    public static func < (a: TokenRate, b: TokenRate) -> Bool {
        a.microDollarsPerMillion < b.microDollarsPerMillion
    }
}
