import Foundation

/// Finds the line of a key in TOML text, so value errors and warnings can point at it.
///
/// Rule: a best-effort scan of `[table]` headers and `key =` lines, why: TOMLKit reports positions only
/// for syntax errors, and a line number is what turns "bad value" into a quick fix.
struct TOMLLineLocator: Sendable {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line of `key` inside `[table]` (nil table: the top level), or of the `[table.key]`
    /// header when the key is itself a table.
    func line(of key: String, in table: String?) -> Int? {
        var current: String? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                    .split(separator: "#").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
                let header = name.replacingOccurrences(of: "\"", with: "")
                if header == (table.map { "\($0).\(key)" } ?? key) { return index + 1 }
                current = header
                continue
            }
            guard current == table else { continue }
            let name = line.split(separator: "=", maxSplits: 1).first
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\"", with: "") }
            if name == key || name?.hasPrefix(key + ".") == true { return index + 1 }
        }
        return nil
    }
}
