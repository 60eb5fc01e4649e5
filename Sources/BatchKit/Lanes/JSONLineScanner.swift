#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte-level JSON checker for one JSONL line that extracts the request fields without building objects.
///
/// It validates the whole line against RFC 8259 (structure, strings and escapes, numbers, literals,
/// nesting, UTF-8 inside strings, nothing after the value) and records where the top-level `custom_id`,
/// `method`, `url`, `body` and `body.model` are. Rule: keys are compared after unescaping, why: a JSON
/// parser on the provider's side reads `"custom\u005fid"` as `custom_id`, and so must we.
/// Rule: nesting is tracked with an explicit stack, why: a hostile line must not overflow the call stack.
public struct JSONLineScanner: Sendable {
    /// Deepest nesting accepted; deeper lines are reported rather than recursed into.
    public var maxDepth: Int

    public init(maxDepth: Int = 512) { self.maxDepth = maxDepth }

    /// Scans one line (without its line terminator).
    public func scan(_ line: UnsafeBufferPointer<UInt8>) -> Result<ScannedRequest, JSONScanError> {
        var stack: [Bool] = []
        return scan(line, reusing: &stack)
    }

    /// Scans one line, keeping its nesting stack in `stack` so a caller scanning many lines allocates once.
    public func scan(_ line: UnsafeBufferPointer<UInt8>, reusing stack: inout [Bool]) -> Result<ScannedRequest, JSONScanError> {
        guard let base = line.baseAddress, line.count > 0 else {
            return .failure(JSONScanError(kind: .syntax, column: 1, message: "empty line"))
        }
        var cursor = Cursor(base: base, count: line.count, maxDepth: maxDepth)
        stack.removeAll(keepingCapacity: true)
        do {
            return .success(try cursor.scanLine(stack: &stack))
        } catch let error as JSONScanError {
            return .failure(error)
        } catch {
            return .failure(JSONScanError(kind: .syntax, column: cursor.i + 1, message: "\(error)"))
        }
    }

    /// Scans a line held in an array; convenient for tests and small inputs.
    public func scan(_ bytes: [UInt8]) -> Result<ScannedRequest, JSONScanError> {
        bytes.withUnsafeBufferPointer { scan($0) }
    }
}

/// Which checked field the next value belongs to.
private enum Field: UInt8 { case none, customID, method, url, body, model, input }

private let quote: UInt8 = 0x22
private let backslash: UInt8 = 0x5C

private struct Cursor {
    let b: UnsafePointer<UInt8>
    let n: Int
    let maxDepth: Int
    var i = 0
    /// Depth of the open `body.input` array, or -1; with counts of its direct elements.
    var inputDepth = -1
    var inputItems = 0
    var inputNumbers = 0

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        b = base; n = count; self.maxDepth = maxDepth
    }

    func fail(_ message: String, at index: Int? = nil, kind: JSONScanError.Kind = .syntax) -> JSONScanError {
        JSONScanError(kind: kind, column: (index ?? i) + 1, message: message)
    }

    func describeHere() -> String {
        guard i < n else { return "end of line" }
        let c = b[i]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16, uppercase: true))"
    }

    mutating func skipWhitespace() {
        while i < n {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { i += 1 } else { return }
        }
    }

    mutating func scanLine(stack: inout [Bool]) throws -> ScannedRequest {
        var request = ScannedRequest()
        skipWhitespace()
        guard i < n else { throw fail("empty line") }
        guard b[i] == UInt8(ascii: "{") else {
            throw fail("a request line must be a JSON object starting with '{', found \(describeHere())")
        }
        // stack[d] is true for an object, false for an array; depth 1 is the request object.
        var bodyDepth = -1          // depth of the open body object, or -1
        var seenTop: UInt8 = 0      // bits of top-level checked keys already seen
        var seenModel = false
        var field = Field.none

        // Parse a value, then loop over separators; `expectValue` toggles between the two phases.
        var expectValue = true
        while true {
            if expectValue {
                skipWhitespace()
                guard i < n else { throw fail("line ends where a value was expected (truncated line?)") }
                let c = b[i]
                if stack.count == inputDepth {
                    // A direct element of body.input: strings and arrays are inputs, numbers are token ids.
                    if c == quote || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { inputItems += 1 } else { inputNumbers += 1 }
                }
                switch c {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    let isObject = c == UInt8(ascii: "{")
                    guard stack.count < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
                    if field == .input && !isObject {
                        inputDepth = stack.count + 1; inputItems = 0; inputNumbers = 0
                    }
                    if field == .body {
                        if isObject { bodyDepth = stack.count + 1; request.body = .object(start: i, end: -1) }
                        else { request.body = .other(.array) }
                    } else {
                        record(field, .other(isObject ? .object : .array), into: &request)
                    }
                    field = .none
                    stack.append(isObject)
                    i += 1
                    skipWhitespace()
                    if isObject {
                        if i < n && b[i] == UInt8(ascii: "}") {
                            closeContainer(&stack, &bodyDepth, &request)
                            expectValue = false
                            continue
                        }
                        field = try scanKey(depth: stack.count, bodyDepth: bodyDepth, seenTop: &seenTop, seenModel: &seenModel, request: &request)
                        continue
                    } else {
                        if i < n && b[i] == UInt8(ascii: "]") {
                            closeContainer(&stack, &bodyDepth, &request)
                            expectValue = false
                        }
                        continue
                    }
                case quote:
                    let slice = try scanString()
                    if field == .body { request.body = .other(.string) } else { record(field, .string(slice), into: &request) }
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    try scanNumber()
                    if field == .body { request.body = .other(.number) } else { record(field, .other(.number), into: &request) }
                case UInt8(ascii: "t"):
                    try scanLiteral("true")
                    if field == .body { request.body = .other(.boolean) } else { record(field, .other(.boolean), into: &request) }
                case UInt8(ascii: "f"):
                    try scanLiteral("false")
                    if field == .body { request.body = .other(.boolean) } else { record(field, .other(.boolean), into: &request) }
                case UInt8(ascii: "n"):
                    try scanLiteral("null")
                    if field == .body { request.body = .other(.null) } else { record(field, .other(.null), into: &request) }
                default:
                    throw fail("expected a value, found \(describeHere())")
                }
                field = .none
                expectValue = false
            } else {
                skipWhitespace()
                guard let isObject = stack.last else {
                    if i < n { throw fail("unexpected \(describeHere()) after the end of the JSON object (trailing garbage)") }
                    return request
                }
                guard i < n else {
                    throw fail("line ends inside an unclosed \(isObject ? "object" : "array") (truncated line?)")
                }
                let c = b[i]
                if c == UInt8(ascii: ",") {
                    i += 1
                    if isObject {
                        skipWhitespace()
                        field = try scanKey(depth: stack.count, bodyDepth: bodyDepth, seenTop: &seenTop, seenModel: &seenModel, request: &request)
                    }
                    expectValue = true
                } else if isObject && c == UInt8(ascii: "}") || !isObject && c == UInt8(ascii: "]") {
                    closeContainer(&stack, &bodyDepth, &request)
                } else {
                    throw fail("expected ',' or '\(isObject ? "}" : "]")', found \(describeHere())")
                }
            }
        }
    }

    /// Consumes the closing bracket at `i`; finishes the body's range when the body object closes.
    mutating func closeContainer(_ stack: inout [Bool], _ bodyDepth: inout Int, _ request: inout ScannedRequest) {
        if stack.count == inputDepth {
            request.embeddingInputs = inputItems > 0 ? inputItems : (inputNumbers > 0 ? 1 : 0)
            inputDepth = -1
        }
        if stack.count == bodyDepth, case .object(let start, _) = request.body {
            request.body = .object(start: start, end: i + 1)
            bodyDepth = -1
        }
        stack.removeLast()
        i += 1
    }

    func record(_ field: Field, _ value: ScannedField, into request: inout ScannedRequest) {
        switch field {
        case .none, .body: break
        case .input: if case .string = value { request.embeddingInputs = 1 }
        case .customID: request.customID = value
        case .method: request.method = value
        case .url: request.url = value
        case .model: request.model = value
        }
    }

    /// Scans `"key" :` at `i` and says which checked field (if any) the following value is.
    mutating func scanKey(depth: Int, bodyDepth: Int, seenTop: inout UInt8, seenModel: inout Bool, request: inout ScannedRequest) throws -> Field {
        guard i < n else { throw fail("line ends where a key was expected (truncated line?)") }
        guard b[i] == quote else { throw fail("expected a quoted key, found \(describeHere())") }
        let slice = try scanString()
        var field = Field.none
        if depth == 1 || depth == bodyDepth {
            let key = KeyBytes(cursor: self, slice: slice)
            if depth == 1 {
                if key.is("custom_id") { field = .customID }
                else if key.is("method") { field = .method }
                else if key.is("url") { field = .url }
                else if key.is("body") { field = .body }
                if field != .none {
                    let bit: UInt8 = 1 << field.rawValue
                    if seenTop & bit != 0, request.duplicateKey == nil {
                        request.duplicateKey = ["", "custom_id", "method", "url", "body"][Int(field.rawValue)]
                    }
                    seenTop |= bit
                }
            } else if key.is("model") {
                field = .model
                if seenModel, request.duplicateKey == nil { request.duplicateKey = "body.model" }
                seenModel = true
            } else if key.is("input") {
                field = .input
            }
        }
        skipWhitespace()
        guard i < n else { throw fail("line ends after a key, expected ':' (truncated line?)") }
        guard b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the key, found \(describeHere())") }
        i += 1
        return field
    }

    /// A key's bytes for comparison: raw when it has no escapes (no allocation), unescaped otherwise.
    struct KeyBytes {
        let raw: UnsafeBufferPointer<UInt8>
        let unescaped: [UInt8]?

        init(cursor: Cursor, slice: StringSlice) {
            raw = UnsafeBufferPointer(start: cursor.b + slice.start, count: slice.rawLength)
            unescaped = slice.hasEscapes && slice.rawLength <= 96 ? JSONLineScanner.unescape(raw) : nil
        }

        func `is`(_ name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            if let unescaped {
                return unescaped.count == count && unescaped.withUnsafeBufferPointer { memcmp($0.baseAddress!, name.utf8Start, count) == 0 }
            }
            return raw.count == count && memcmp(raw.baseAddress!, name.utf8Start, count) == 0
        }
    }

    mutating func scanLiteral(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard i + count <= n else { throw fail("expected '\(word)' but the line ends (truncated line?)") }
        for k in 0..<count where b[i + k] != start[k] {
            throw fail("invalid literal; expected '\(word)'", at: i + k)
        }
        i += count
    }

    mutating func scanNumber() throws {
        let begin = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(b[i]) else { throw fail("invalid number: expected a digit", at: i) }
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < n, isDigit(b[i]) { throw fail("invalid number: leading zeros are not allowed", at: begin) }
        } else {
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(b[i]) else { throw fail("invalid number: expected a digit after '.'") }
            while i < n, isDigit(b[i]) { i += 1 }
        }
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(b[i]) else { throw fail("invalid number: expected a digit in the exponent") }
            while i < n, isDigit(b[i]) { i += 1 }
        }
    }

    @inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    /// Scans a string starting at the opening quote; leaves `i` after the closing quote.
    ///
    /// The hot loop checks 8 bytes at a time for a quote, a backslash, a control byte or a non-ASCII
    /// byte, why: most of a request's bytes are string content, and this is where the time goes.
    mutating func scanString() throws -> StringSlice {
        let open = i
        i += 1
        let start = i
        var hasEscapes = false
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* 0x22
        let slashes = ones &* 0x5C
        let raw = UnsafeRawPointer(b)
        while true {
            while i + 8 <= n {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let q = w ^ quotes
                let s = w ^ slashes
                let special = ((q &- ones) & ~q) | ((s &- ones) & ~s) | (w &- ones &* 0x20) | w
                let hit = special & high
                if hit != 0 {
                    // The lowest flagged byte is a real hit (borrows only propagate upwards).
                    i += hit.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            guard i < n else { throw fail("line ends inside a string (truncated line?)", at: open) }
            let c = b[i]
            if c == quote {
                i += 1
                return StringSlice(start: start, end: i - 1, hasEscapes: hasEscapes)
            } else if c == backslash {
                hasEscapes = true
                try scanEscape()
            } else if c < 0x20 {
                throw fail("control character 0x\(String(c, radix: 16, uppercase: true)) inside a string must be escaped")
            } else if c >= 0x80 {
                try scanUTF8Sequence()
            } else {
                i += 1
            }
        }
    }

    mutating func scanEscape() throws {
        guard i + 1 < n else { throw fail("line ends inside an escape sequence (truncated line?)") }
        let e = b[i + 1]
        switch e {
        case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 2
        case UInt8(ascii: "u"):
            guard i + 6 <= n else { throw fail("incomplete \\u escape (truncated line?)") }
            for k in 2..<6 where hexValue(b[i + k]) == nil {
                throw fail("invalid \\u escape: expected 4 hex digits", at: i + k)
            }
            i += 6
        default:
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (shortest form, no surrogates, at most U+10FFFF).
    mutating func scanUTF8Sequence() throws {
        let c0 = b[i]
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch c0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default:
            throw fail("not valid UTF-8: byte 0x\(hex(c0)) cannot start a character (Latin-1 or another encoding?)", kind: .encoding)
        }
        func broken() -> JSONScanError {
            fail("not valid UTF-8: byte 0x\(hex(c0)) starts a \(length)-byte character that is cut short or broken (Latin-1 or another encoding?)", kind: .encoding)
        }
        guard i + length <= n else { throw broken() }
        let c1 = b[i + 1]
        guard c1 >= lower && c1 <= upper else { throw broken() }
        for k in 2..<length where b[i + k] & 0xC0 != 0x80 {
            throw broken()
        }
        i += length
    }
}

private func hex(_ c: UInt8) -> String { String(c, radix: 16, uppercase: true) }

@inline(__always) private func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

extension JSONLineScanner {
    /// The UTF-8 bytes of a JSON string's value, given its raw (already validated) content.
    ///
    /// A lone surrogate escape becomes U+FFFD, why: it has no UTF-8 form, and the value is only
    /// used for comparison and display.
    public static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        let n = raw.count
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for j in at..<(at + 4) {
                guard let h = hexValue(raw[j]) else { return nil }
                v = v << 4 | h
            }
            return v
        }
        while k < n {
            let c = raw[k]
            guard c == backslash, k + 1 < n else { out.append(c); k += 1; continue }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(k) else { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); continue }
                k += 4
                if scalar >= 0xD800 && scalar < 0xDC00, k + 1 < n, raw[k] == backslash, raw[k + 1] == UInt8(ascii: "u"),
                   let low = hex4(k + 2), low >= 0xDC00 && low < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(s)).utf8))
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
    }

    /// The value of a scanned string field as bytes (unescaped).
    public static func valueBytes(_ slice: StringSlice, in line: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let raw = UnsafeBufferPointer(rebasing: line[slice.start..<slice.end])
        return slice.hasEscapes ? unescape(raw) : Array(raw)
    }

    /// The value of a scanned string field as a `String`.
    public static func value(_ slice: StringSlice, in line: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: valueBytes(slice, in: line), as: UTF8.self)
    }
}
