import BatchKit

/// Compact, width-stable formatting of durations, counts and money for table cells.
public enum Format {
    /// "4s", "12m", "3h05m", "2d04h"; "-" for nil; negative durations get a minus.
    public static func duration(_ seconds: Int64?) -> String {
        guard let s = seconds else { return "-" }
        if s < 0 { return "-" + duration(-s) }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h" + two((s % 3600) / 60) + "m" }
        // From ten days on, hours add nothing an operator acts on, and "334d12h" no longer fits a column.
        if s < 10 * 86_400 { return "\(s / 86_400)d" + two((s % 86_400) / 3600) + "h" }
        return "\(s / 86_400)d"
    }

    /// "1,234,567".
    public static func count<T: BinaryInteger>(_ n: T) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// "1.2M", "340k", "999".
    public static func compact(_ n: Int64) -> String {
        if n >= 1_000_000_000 { return one(Double(n) / 1e9) + "G" }
        if n >= 1_000_000 { return one(Double(n) / 1e6) + "M" }
        if n >= 10_000 { return "\(n / 1000)k" }
        return String(n)
    }

    /// Money rounded to the cent, "-" when unknown.
    public static func money(_ m: MicroDollars?) -> String { m?.formatted ?? "-" }

    /// A percentage "42%".
    public static func percent(_ f: Double) -> String { "\(Int((f * 100).rounded(.down)))%" }

    /// The text cut to `width` display columns, ending in the ellipsis when cut.
    public static func fit(_ text: String, width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        let clean = UntrustedText.sanitized(text)
        if clean.utf8.count <= width && clean.allSatisfy(\.isASCII) { return clean }
        if DisplayWidth.of(clean) <= width { return clean }
        let room = width - DisplayWidth.of(ellipsis)
        var out = "", used = 0
        for ch in clean {
            let w = DisplayWidth.of(ch)
            if used + w > room { break }
            out.append(ch); used += w
        }
        return out + ellipsis
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func one(_ d: Double) -> String {
        let t = Int((d * 10).rounded())
        return t % 10 == 0 ? "\(t / 10)" : "\(t / 10).\(t % 10)"
    }
}
