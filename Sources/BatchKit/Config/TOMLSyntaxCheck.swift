/// A TOML 1.0 syntax check run before TOMLKit sees a text (`TOMLText.parse`).
///
/// Rule: only text that follows the TOML 1.0 grammar (toml.io/en/v1.0.0, its ABNF) reaches toml++, why: toml++
/// 3.4 asserts on several malformed inputs (a header name starting with `=`, `x = [}`, `d = 1979-05-27Tx`, ...)
/// and, built without `NDEBUG` as SwiftPM builds C++ dependencies, aborts the process instead of reporting
/// them; on grammatical text its asserts hold. The check is syntax only: numeric and date ranges, duplicate
/// keys and table redefinitions are left to toml++, which reports those itself.
struct TOMLSyntaxCheck {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    /// As toml++'s `TOML_MAX_NESTED_VALUES`, so both stop at the same depth (and recursion here stays shallow).
    static let maxDepth = 256

    /// The first syntax error in `text`, or nil when it is grammatical TOML 1.0.
    static func firstError(in text: String) -> TOMLSyntaxError? {
        var check = TOMLSyntaxCheck(s: Array(text.unicodeScalars))
        do {
            try check.document()
            return nil
        } catch {
            return error
        }
    }

    private init(s: [Unicode.Scalar]) { self.s = s }

    // MARK: - Scanning helpers

    private var atEnd: Bool { i >= s.count }
    private func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    private func fail(_ message: String, at k: Int? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line, column: (k ?? i) - lineStart + 1, message: message)
    }

    private func found() -> String {
        guard let c = peek() else { return "the end of the file" }
        if c == "\n" || c == "\r" { return "the end of the line" }
        if c.value < 0x20 || c.value == 0x7F { return "control character U+\(String(c.value, radix: 16, uppercase: true))" }
        return "'\(c)'"
    }

    private mutating func ws() {
        while let c = peek(), c == " " || c == "\t" { i += 1 }
    }

    /// Consumes LF or CRLF; false when there is none here.
    private mutating func newline() -> Bool {
        if peek() == "\n" { i += 1 } else if peek() == "\r", peek(1) == "\n" { i += 2 } else { return false }
        line += 1
        lineStart = i
        return true
    }

    private func isBare(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    private func isDigit(_ c: Unicode.Scalar?) -> Bool { Self.isDigit(c) }
    private static func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { ("0"..."9").contains($0) } ?? false }

    private static func isHex(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return isDigit(c) || ("a"..."f").contains(c) || ("A"..."F").contains(c)
    }

    /// A control character TOML allows nowhere but as tab (and as line breaks where lines may break).
    private func isControl(_ c: Unicode.Scalar) -> Bool { (c.value < 0x20 && c != "\t") || c.value == 0x7F }

    // MARK: - Document

    private mutating func document() throws(TOMLSyntaxError) {
        if peek() == "\u{FEFF}" { i = 1; lineStart = 1 }
        while true {
            ws()
            if atEnd { return }
            if newline() { continue }
            if peek() == "#" {
                try comment()
            } else if peek() == "[" {
                try tableHeader()
            } else if let c = peek(), isBare(c) || c == "\"" || c == "'" {
                try keyValue()
            } else {
                throw fail("expected a key, a [table] or a comment, found \(found())")
            }
            try endOfLine()
        }
    }

    /// After a statement: spaces, an optional comment, then a line break or the end of the file.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        ws()
        if peek() == "#" { try comment() }
        if atEnd || newline() { return }
        throw fail("expected the end of the line, found \(found())")
    }

    /// `# ...` up to (not including) the line break.
    private mutating func comment() throws(TOMLSyntaxError) {
        i += 1
        while let c = peek(), c != "\n" {
            if c == "\r", peek(1) == "\n" { return }
            if isControl(c) { throw fail("control character U+\(String(c.value, radix: 16, uppercase: true)) in a comment") }
            i += 1
        }
    }

    private mutating func tableHeader() throws(TOMLSyntaxError) {
        let isArray = peek(1) == "["
        i += isArray ? 2 : 1
        ws()
        if let c = peek(), !(isBare(c) || c == "\"" || c == "'") {
            throw fail("a table header must start with a name: write [name], [a.b] or [\"any name\"] (and [[name]] for an array of tables)")
        }
        try key()
        ws()
        guard peek() == "]", !isArray || peek(1) == "]" else {
            throw fail("expected '\(isArray ? "]]" : "]")' to close the table header, found \(found())")
        }
        i += isArray ? 2 : 1
    }

    // MARK: - Keys

    private mutating func key() throws(TOMLSyntaxError) {
        try simpleKey()
        while true {
            let save = i
            ws()
            guard peek() == "." else { i = save; return }
            i += 1
            ws()
            try simpleKey()
        }
    }

    private mutating func simpleKey() throws(TOMLSyntaxError) {
        guard let c = peek() else { throw fail("expected a key, found the end of the file") }
        if c == "\"" {
            try basicString(multiline: false)
        } else if c == "'" {
            try literalString(multiline: false)
        } else if isBare(c) {
            while let b = peek(), isBare(b) { i += 1 }
        } else {
            throw fail("expected a key (letters, digits, '_', '-', or a quoted name), found \(found())")
        }
    }

    private mutating func keyValue() throws(TOMLSyntaxError) {
        try key()
        ws()
        guard peek() == "=" else { throw fail("expected '=' after the key, found \(found())") }
        i += 1
        ws()
        try value()
    }

    // MARK: - Values

    private mutating func value() throws(TOMLSyntaxError) {
        guard let c = peek() else { throw fail("expected a value, found the end of the file") }
        switch c {
        case "\"": try basicString(multiline: peek(1) == "\"" && peek(2) == "\"")
        case "'": try literalString(multiline: peek(1) == "'" && peek(2) == "'")
        case "t": try word("true")
        case "f": try word("false")
        case "i": try word("inf")
        case "n": try word("nan")
        case "[": try nested { (c: inout TOMLSyntaxCheck) throws(TOMLSyntaxError) in try c.array() }
        case "{": try nested { (c: inout TOMLSyntaxCheck) throws(TOMLSyntaxError) in try c.inlineTable() }
        case "+", "-":
            i += 1
            if peek() == "i" { try word("inf") } else if peek() == "n" { try word("nan") } else { try decimal() }
        case "0"..."9": try numberOrDate()
        default: throw fail("expected a value (a string in quotes, a number, true/false, a date, [array] or {table}), found \(found())")
        }
        // Every value ends at a space, a line break, a comment, ',' or a closing bracket.
        if let e = peek(), !(e == " " || e == "\t" || e == "\n" || e == "\r" || e == "#" || e == "," || e == "]" || e == "}") {
            throw fail("unexpected \(found()) after a value")
        }
    }

    private mutating func nested(_ body: (inout TOMLSyntaxCheck) throws(TOMLSyntaxError) -> Void) throws(TOMLSyntaxError) {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw fail("values nested deeper than \(Self.maxDepth) levels") }
        try body(&self)
    }

    private mutating func word(_ w: String) throws(TOMLSyntaxError) {
        for scalar in w.unicodeScalars {
            guard peek() == scalar else { throw fail("expected '\(w)' (strings need quotes), found \(found())") }
            i += 1
        }
    }

    private mutating func array() throws(TOMLSyntaxError) {
        i += 1
        while true {
            try spaceCommentsAndLines()
            if peek() == "]" { i += 1; return }
            try value()
            try spaceCommentsAndLines()
            if peek() == "," { i += 1; continue }
            guard peek() == "]" else { throw fail("expected ',' or ']' in an array, found \(found())") }
            i += 1
            return
        }
    }

    private mutating func spaceCommentsAndLines() throws(TOMLSyntaxError) {
        while true {
            ws()
            if peek() == "#" { try comment() }
            if !newline() { return }
        }
    }

    private mutating func inlineTable() throws(TOMLSyntaxError) {
        i += 1
        ws()
        if peek() == "}" { i += 1; return }
        while true {
            guard let c = peek(), isBare(c) || c == "\"" || c == "'" else {
                throw fail("expected a key in an inline table, found \(found())")
            }
            try keyValue()
            ws()
            if peek() == "," { i += 1; ws(); continue }
            guard peek() == "}" else { throw fail("expected ',' or '}' in an inline table (it must end on its line), found \(found())") }
            i += 1
            return
        }
    }

    // MARK: - Strings

    private mutating func basicString(multiline: Bool) throws(TOMLSyntaxError) {
        let open = i
        i += multiline ? 3 : 1
        if multiline { _ = newline() }
        while true {
            guard let c = peek() else { throw fail("the string opened here is not closed", at: open) }
            if c == "\"" {
                if !multiline { i += 1; return }
                if try closeMultiline("\"") { return }
                continue
            }
            if c == "\\" {
                try escape(multiline: multiline)
                continue
            }
            if c == "\n" || c == "\r" {
                if multiline, newline() { continue }
                throw fail(multiline ? "a line break must be LF or CRLF" : "a string in \"...\" must end on its line (use \"\"\"...\"\"\" for several lines)")
            }
            if isControl(c) { throw fail("control character U+\(String(c.value, radix: 16, uppercase: true)) in a string; write it as an escape") }
            i += 1
        }
    }

    /// At a quote inside a multi-line string: true (and past it) when it closes the string.
    private mutating func closeMultiline(_ q: Unicode.Scalar) throws(TOMLSyntaxError) -> Bool {
        var n = 0
        while peek(n) == q { n += 1 }
        if n < 3 { i += n; return false }
        // Up to two quotes right before the closing three belong to the content.
        i += min(n, 5)
        return true
    }

    private mutating func escape(multiline: Bool) throws(TOMLSyntaxError) {
        let start = i
        i += 1
        guard let e = peek() else { throw fail("the string ends inside an escape") }
        switch e {
        case "b", "t", "n", "f", "r", "\"", "\\":
            i += 1
        case "u", "U":
            let n = e == "u" ? 4 : 8
            var v: UInt32 = 0
            for k in 1...n {
                guard let h = peek(k), Self.isHex(h), let d = UInt32(String(h), radix: 16) else {
                    throw fail("\\\(e) needs \(n) hex digits", at: start)
                }
                v = v &* 16 &+ d
            }
            guard Unicode.Scalar(v) != nil else { throw fail("\\\(e) escape is not a Unicode scalar value", at: start) }
            i += n + 1
        case " ", "\t", "\n", "\r":
            // A line-ending backslash (multi-line strings only): spaces, a line break, then any spaces and line breaks.
            guard multiline else { throw fail("invalid escape: a '\\' at the end of a line only continues a \"\"\"...\"\"\" string", at: start) }
            ws()
            guard newline() else { throw fail("a '\\' ending a line may only be followed by spaces", at: start) }
            while true {
                ws()
                if !newline() { break }
            }
        default:
            throw fail("invalid escape '\\\(e)' (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)", at: start)
        }
    }

    private mutating func literalString(multiline: Bool) throws(TOMLSyntaxError) {
        let open = i
        i += multiline ? 3 : 1
        if multiline { _ = newline() }
        while true {
            guard let c = peek() else { throw fail("the string opened here is not closed", at: open) }
            if c == "'" {
                if !multiline { i += 1; return }
                if try closeMultiline("'") { return }
                continue
            }
            if c == "\n" || c == "\r" {
                if multiline, newline() { continue }
                throw fail(multiline ? "a line break must be LF or CRLF" : "a string in '...' must end on its line (use '''...''' for several lines)")
            }
            if isControl(c) { throw fail("control character U+\(String(c.value, radix: 16, uppercase: true)) in a string") }
            i += 1
        }
    }

    // MARK: - Numbers and dates

    /// At a digit: a date, a time, or a number.
    private mutating func numberOrDate() throws(TOMLSyntaxError) {
        if (0..<4).allSatisfy({ isDigit(peek($0)) }), peek(4) == "-" {
            try date()
            if let t = peek(), t == "T" || t == "t" || (t == " " && isDigit(peek(1))) {
                i += 1
                try time()
                try offset()
            }
            return
        }
        if isDigit(peek(1)), peek(2) == ":" {
            try time()
            return
        }
        if peek() == "0", let p = peek(1), p == "x" || p == "o" || p == "b" {
            i += 2
            let valid: (Unicode.Scalar?) -> Bool = switch p {
            case "x": { Self.isHex($0) }
            case "o": { $0.map { ("0"..."7").contains($0) } ?? false }
            default: { $0 == "0" || $0 == "1" }
            }
            try digits(valid, what: p == "x" ? "hexadecimal" : p == "o" ? "octal" : "binary")
            return
        }
        try decimal()
    }

    /// Digits with single underscores between them.
    private mutating func digits(_ valid: (Unicode.Scalar?) -> Bool, what: String) throws(TOMLSyntaxError) {
        guard valid(peek()) else { throw fail("expected a \(what) digit, found \(found())") }
        i += 1
        while true {
            if valid(peek()) { i += 1; continue }
            if peek() == "_" {
                guard valid(peek(1)) else { throw fail("'_' in a number must be between digits") }
                i += 1
                continue
            }
            return
        }
    }

    /// An integer or float after its optional sign.
    private mutating func decimal() throws(TOMLSyntaxError) {
        let start = i
        try digits({ Self.isDigit($0) }, what: "decimal")
        if s[start] == "0", i - start > 1 { throw fail("a number may not start with 0 (leading zeros are not allowed)", at: start) }
        if peek() == "." {
            i += 1
            try digits({ Self.isDigit($0) }, what: "decimal (after '.')")
        }
        if peek() == "e" || peek() == "E" {
            i += 1
            if peek() == "+" || peek() == "-" { i += 1 }
            try digits({ Self.isDigit($0) }, what: "exponent")
        }
    }

    private mutating func fixedDigits(_ n: Int, _ what: String) throws(TOMLSyntaxError) {
        for _ in 0..<n {
            guard isDigit(peek()) else { throw fail("expected \(n) digits for the \(what), found \(found())") }
            i += 1
        }
    }

    private mutating func expect(_ c: Unicode.Scalar, _ what: String) throws(TOMLSyntaxError) {
        guard peek() == c else { throw fail("expected '\(c)' \(what), found \(found())") }
        i += 1
    }

    /// `YYYY-MM-DD`.
    private mutating func date() throws(TOMLSyntaxError) {
        try fixedDigits(4, "year")
        try expect("-", "in a date (YYYY-MM-DD)")
        try fixedDigits(2, "month")
        try expect("-", "in a date (YYYY-MM-DD)")
        try fixedDigits(2, "day")
    }

    /// `HH:MM:SS[.fraction]`.
    private mutating func time() throws(TOMLSyntaxError) {
        try fixedDigits(2, "hour")
        try expect(":", "in a time (HH:MM:SS)")
        try fixedDigits(2, "minute")
        try expect(":", "in a time (HH:MM:SS)")
        try fixedDigits(2, "second")
        if peek() == "." {
            i += 1
            guard isDigit(peek()) else { throw fail("expected digits after '.' in a time, found \(found())") }
            while isDigit(peek()) { i += 1 }
        }
    }

    /// An optional `Z` or `+HH:MM` after a date-time.
    private mutating func offset() throws(TOMLSyntaxError) {
        if peek() == "Z" || peek() == "z" { i += 1; return }
        guard peek() == "+" || peek() == "-" else { return }
        i += 1
        try fixedDigits(2, "offset hours")
        try expect(":", "in a time offset (+HH:MM)")
        try fixedDigits(2, "offset minutes")
    }
}
