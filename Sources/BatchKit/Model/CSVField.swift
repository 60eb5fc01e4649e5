/// One CSV cell of untrusted text: sanitized, formula-defused, RFC 4180 quoted.
///
/// Rule: every text cell of every `--csv` goes through here, why: the text comes from the API
/// (metadata), so an escape sequence must not reach a terminal that `cat`s the file, and
/// `=HYPERLINK(...)` in a workload name must stay text in a spreadsheet (a leading `'`).
public enum CSVField {
    /// The cell: one line of sanitized text, a `'` before `=`, `+`, `-` or `@`, quoted when it holds a
    /// comma or a quote (always with `quoteAlways`).
    public static func text(_ raw: String, quoteAlways: Bool = false) -> String {
        var s = UntrustedText.sanitized(raw)
        if let first = s.first, "=+-@".contains(first) { s = "'" + s }
        if quoteAlways || s.contains(where: { $0 == "," || $0 == "\"" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
