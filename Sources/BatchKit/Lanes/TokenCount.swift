/// A number of tokens that says whether it was counted by a tokenizer or estimated.
///
/// Rule: a sum is exact only if every part is, why: one estimated chunk makes the whole figure an estimate.
public struct TokenCount: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number of tokens.
    public var value: Int64
    /// True when counted by the model's tokenizer, false when estimated (see `TokenEstimator`).
    public var exact: Bool

    public init(value: Int64, exact: Bool) {
        self.value = value; self.exact = exact
    }

    /// Zero tokens, exactly.
    public static let zero = TokenCount(value: 0, exact: true)

    public static func + (a: TokenCount, b: TokenCount) -> TokenCount {
        TokenCount(value: a.value + b.value, exact: a.exact && b.exact)
    }

    public static func += (a: inout TokenCount, b: TokenCount) { a = a + b }

    public static func < (a: TokenCount, b: TokenCount) -> Bool { a.value < b.value }

    /// `12,345 tokens (estimated)` or `12,345 tokens`.
    public var description: String {
        "\(TokenCount.grouped(value)) tokens\(exact ? "" : " (estimated)")"
    }

    /// Thousands separated with commas, independent of locale.
    static func grouped(_ v: Int64) -> String {
        let digits = String(v.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }
}
