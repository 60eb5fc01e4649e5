import TOMLKit

/// The one way into TOMLKit: config.toml, price files and themes are parsed here.
///
/// Rule: a table header whose name starts with something other than a letter, digit, `_`, `-` or a quote
/// (`[=x]`, `[#]`, `[.a]`, `[[[x]]]`, a `[` alone on a line) is refused before TOMLKit sees the text, why:
/// TOMLKit's toml++ 3.4 asserts that the name starts with a key character and, built without `NDEBUG` as
/// SwiftPM builds C++ dependencies, aborts the whole process on such a typo instead of reporting it
/// (found by the config fuzz target, Fuzz/README.md).
public enum TOMLText {
    /// Parses `text` into a table, or throws a syntax error with the 1-based line and column.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        if let bad = unsupportedHeader(in: text) {
            throw TOMLSyntaxError(
                line: bad.line, column: bad.column,
                message: "a table header must start with a name: write [name], [a.b] or [\"any name\"] (and [[name]] for an array of tables)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }

    /// The position of the first table header toml++ cannot be given, or nil.
    ///
    /// Follows toml++'s document loop: statements start at line starts (after spaces, tabs and comments);
    /// a statement starting with `[` is a header, one starting with a key character or quote is `key = value`,
    /// whose value is skipped by tracking strings (all four kinds), comments and bracket depth, so a `[` inside a
    /// multi-line array or string is never taken for a header; anything else is an error toml++ stops at.
    static func unsupportedHeader(in text: String) -> (line: Int, column: Int)? {
        let s = Array(text.unicodeScalars)
        var i = s.first == "\u{FEFF}" ? 1 : 0
        var line = 1
        var lineStart = i

        func isBareKey(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
        }
        func isSpace(_ k: Int) -> Bool { k < s.count && (s[k] == " " || s[k] == "\t") }
        /// Moves past a line break at `i` (LF or CRLF), counting the line.
        func lineBreak() -> Bool {
            if i < s.count, s[i] == "\n" { i += 1 } else if i + 1 < s.count, s[i] == "\r", s[i + 1] == "\n" { i += 2 } else { return false }
            line += 1
            lineStart = i
            return true
        }
        /// Skips to just after the next line break outside strings (the end of a header line or a comment).
        func skipLine() {
            while i < s.count {
                if lineBreak() { return }
                if s[i] == "\"" || s[i] == "'" { skipString() } else { i += 1 }
            }
        }
        /// Skips a string at `i` of any of the four kinds; a single-line string also ends at a line break.
        func skipString() {
            let q = s[i]
            let multi = i + 2 < s.count && s[i + 1] == q && s[i + 2] == q
            i += multi ? 3 : 1
            while i < s.count {
                let c = s[i]
                if q == "\"" && c == "\\" {
                    if i + 1 < s.count, s[i + 1] == "\n" { line += 1; lineStart = i + 2 }
                    i += 2
                    continue
                }
                if multi {
                    if c == q, i + 2 < s.count, s[i + 1] == q, s[i + 2] == q {
                        i += 3
                        // Up to two more quotes belong to the content (`""""a"""""` is legal).
                        var extra = 0
                        while extra < 2, i < s.count, s[i] == q { i += 1; extra += 1 }
                        return
                    }
                    if c == "\n" { line += 1; lineStart = i + 1 }
                    i += 1
                } else {
                    if c == "\n" || c == "\r" { return }
                    i += 1
                    if c == q { return }
                }
            }
        }

        while i < s.count {
            while isSpace(i) { i += 1 }
            guard i < s.count else { return nil }
            if lineBreak() { continue }
            let c = s[i]
            if c == "#" {
                skipLine()
            } else if c == "[" {
                var k = i + 1
                let hadSpace = isSpace(k)
                while isSpace(k) { k += 1 }
                if k < s.count, s[k] == "[" {
                    if hadSpace { return nil }  // toml++ reports "[ [" itself
                    k += 1
                    while isSpace(k) { k += 1 }
                }
                guard k < s.count else { return nil }
                let first = s[k]
                if first != "]" && !isBareKey(first) && first != "\"" && first != "'" {
                    return (line, k - lineStart + 1)
                }
                i = k
                skipLine()
            } else if isBareKey(c) || c == "\"" || c == "'" {
                // key = value: the key, then the value up to a line break outside strings and brackets.
                var depth = 0
                while i < s.count {
                    let v = s[i]
                    if v == "\"" || v == "'" { skipString(); continue }
                    if v == "#" {
                        while i < s.count, s[i] != "\n" { i += 1 }
                        continue
                    }
                    if v == "[" || v == "{" { depth += 1 } else if v == "]" || v == "}" { depth -= 1 }
                    if v == "\n" || v == "\r" {
                        if depth <= 0 { break }
                        if !lineBreak() { i += 1 }
                        continue
                    }
                    i += 1
                }
            } else {
                return nil  // toml++ stops at its own error here
            }
        }
        return nil
    }

}

/// A TOML syntax error at a 1-based line and column.
public struct TOMLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line; self.column = column; self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
