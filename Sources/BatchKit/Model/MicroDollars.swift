/// An amount of US dollars as an integer count of millionths; never floating point.
public struct MicroDollars: Hashable, Comparable, Sendable, Codable, AdditiveArithmetic, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static let zero = MicroDollars(0)

    public static func + (a: MicroDollars, b: MicroDollars) -> MicroDollars { MicroDollars(a.value + b.value) }
    public static func - (a: MicroDollars, b: MicroDollars) -> MicroDollars { MicroDollars(a.value - b.value) }
    public static func < (a: MicroDollars, b: MicroDollars) -> Bool { a.value < b.value }

    /// Whole cents, rounded half away from zero; used only for display.
    public var roundedCents: Int64 {
        let sign: Int64 = value < 0 ? -1 : 1
        return sign * ((abs(value) + 5_000) / 10_000)
    }

    /// `$12.34` (or `-$0.05`), rounded to the cent.
    public var formatted: String {
        let cents = roundedCents
        let sign = cents < 0 ? "-" : ""
        let a = abs(cents)
        let fraction = a % 100
        return "\(sign)$\(a / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public var description: String { formatted }

    public init(from decoder: Decoder) throws {
        value = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}
