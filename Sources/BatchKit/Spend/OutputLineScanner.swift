#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The usage shape a line reported, by endpoint family.
public enum UsageShape: String, CaseIterable, Sendable, Codable, Hashable {
    /// `/v1/chat/completions` and `/v1/completions`: `prompt_tokens`, `completion_tokens`, ...
    case chatCompletions = "chat_completions"
    /// `/v1/responses`: `input_tokens`, `output_tokens`, ...
    case responses
    /// `/v1/embeddings`: `prompt_tokens` and `total_tokens` only.
    case embeddings
}

/// What one line of a batch output or error file says, as far as spend is concerned.
struct OutputLineSummary: Hashable, Sendable {
    enum Outcome: Hashable, Sendable {
        case succeeded
        case failed(code: String)
    }

    var outcome: Outcome
    var model: String?
    var usage: TokenUsage?
    var shape: UsageShape?
    /// The failure's `message` (untrusted text), when the line failed with one.
    var errorMessage: String? = nil
}

/// Why a line could not be read.
struct LineScanFailure: Error, Hashable, Sendable {
    var reason: String
    var offset: Int
}

/// A byte-level reader of one JSONL line that extracts `response.status_code`, `response.body.model`,
/// `response.body.usage`, `response.body.error` and the top-level `error`, skipping everything else.
///
/// Rule: values are found by their path from the line's root, never by searching for key text, why:
/// message content can contain `"usage":` or `"model":` verbatim. Skipped strings are crossed with
/// `memchr` for the closing quote (a quote preceded by an odd run of backslashes is escaped);
/// skipped objects and arrays by a bracket counter, so deep nesting costs no stack.
/// The line must not contain its newline: a truncated line therefore ends inside a value and fails.
struct OutputLineScanner {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private var i = 0

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    private init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Scans the whole line; throws when it is not one well-formed JSON object (as far as it reads).
    static func scan(_ line: UnsafeRawBufferPointer) throws(LineScanFailure) -> OutputLineSummary {
        guard let p = line.baseAddress, line.count > 0 else { throw LineScanFailure(reason: "empty line", offset: 0) }
        var scanner = OutputLineScanner(base: p.assumingMemoryBound(to: UInt8.self), count: line.count)
        return try scanner.scanTopLevel()
    }

    // MARK: - Structure

    private mutating func scanTopLevel() throws(LineScanFailure) -> OutputLineSummary {
        // A UTF-8 byte order mark may start the first line of a file.
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { i = 3 }
        try beginObject()
        var response: ResponseFields?
        var sawResponseNull = false
        var errorCode: String?
        var errorMessage: String?
        var errorPresent = false
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, "response") {
                switch peek() {
                case UInt8(ascii: "{"): response = try scanResponse()
                case UInt8(ascii: "n"): try literal("null"); sawResponseNull = true
                default: throw fail("response is neither an object nor null")
                }
            } else if matches(key, "error") {
                switch peek() {
                case UInt8(ascii: "n"): try literal("null")
                case UInt8(ascii: "{"): errorPresent = true; (errorCode, errorMessage) = try scanErrorObject()
                default: errorPresent = true; try skipValue()
                }
            } else {
                try skipValue()
            }
        }
        skipWhitespace()
        guard i == count else { throw fail("text after the end of the JSON object") }

        let outcome: OutputLineSummary.Outcome
        if errorPresent {
            outcome = .failed(code: errorCode ?? "unknown_error")
        } else if let response {
            if let status = response.statusCode, status >= 400 {
                outcome = .failed(code: response.bodyErrorCode ?? "http_\(status)")
                errorMessage = response.bodyErrorMessage
            } else {
                outcome = .succeeded
            }
        } else {
            outcome = .failed(code: sawResponseNull ? "no_response" : "missing_response")
        }
        return OutputLineSummary(outcome: outcome, model: response?.model, usage: response?.usage, shape: response?.shape,
                                 errorMessage: errorMessage)
    }

    private struct ResponseFields {
        var statusCode: Int64?
        var model: String?
        var usage: TokenUsage?
        var shape: UsageShape?
        var bodyErrorCode: String?
        var bodyErrorMessage: String?
    }

    private mutating func scanResponse() throws(LineScanFailure) -> ResponseFields {
        var fields = ResponseFields()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, "status_code") {
                fields.statusCode = try readCount()
            } else if matches(key, "body"), peek() == UInt8(ascii: "{") {
                try scanBody(into: &fields)
            } else {
                try skipValue()
            }
        }
        return fields
    }

    private mutating func scanBody(into fields: inout ResponseFields) throws(LineScanFailure) {
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, "model"), peek() == Self.quote {
                fields.model = try readString()
            } else if matches(key, "usage"), peek() == UInt8(ascii: "{") {
                (fields.usage, fields.shape) = try scanUsage()
            } else if matches(key, "error"), peek() == UInt8(ascii: "{") {
                (fields.bodyErrorCode, fields.bodyErrorMessage) = try scanErrorObject()
            } else {
                try skipValue()
            }
        }
    }

    /// Reads a usage object in any of the three shapes; (nil, nil) when it has no token counts.
    private mutating func scanUsage() throws(LineScanFailure) -> (TokenUsage?, UsageShape?) {
        var prompt: Int64?, completion: Int64?, input: Int64?, output: Int64?
        var promptCached: Int64?, completionReasoning: Int64?, inputCached: Int64?, outputReasoning: Int64?
        var sawCompletionDetails = false
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, "prompt_tokens") { prompt = try readCount() }
            else if matches(key, "completion_tokens") { completion = try readCount() }
            else if matches(key, "input_tokens") { input = try readCount() }
            else if matches(key, "output_tokens") { output = try readCount() }
            else if matches(key, "prompt_tokens_details") { promptCached = try scanDetails("cached_tokens") }
            else if matches(key, "completion_tokens_details") {
                sawCompletionDetails = true
                completionReasoning = try scanDetails("reasoning_tokens")
            }
            else if matches(key, "input_tokens_details") { inputCached = try scanDetails("cached_tokens") }
            else if matches(key, "output_tokens_details") { outputReasoning = try scanDetails("reasoning_tokens") }
            else { try skipValue() }
        }
        if let input {
            return (TokenUsage(inputTokens: input, cachedInputTokens: inputCached ?? 0, outputTokens: output ?? 0, reasoningTokens: outputReasoning ?? 0), .responses)
        }
        if let prompt {
            let isChat = completion != nil || sawCompletionDetails
            return (TokenUsage(inputTokens: prompt, cachedInputTokens: promptCached ?? 0, outputTokens: completion ?? 0, reasoningTokens: completionReasoning ?? 0),
                    isChat ? .chatCompletions : .embeddings)
        }
        return (nil, nil)
    }

    /// Reads one count out of a `*_tokens_details` object (or null).
    private mutating func scanDetails(_ wanted: StaticString) throws(LineScanFailure) -> Int64? {
        if peek() != UInt8(ascii: "{") { try skipValue(); return nil }
        try beginObject()
        var result: Int64?
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, wanted) { result = try readCount() } else { try skipValue() }
        }
        return result
    }

    /// `{"code", "type", "message", ...}` -> code, else type.
    private mutating func scanErrorObject() throws(LineScanFailure) -> (code: String?, message: String?) {
        try beginObject()
        var code: String?, type: String?, message: String?
        var first = true
        while let key = try nextKey(&first) {
            if matches(key, "code"), peek() == Self.quote { code = try readString() }
            else if matches(key, "type"), peek() == Self.quote { type = try readString() }
            else if matches(key, "message"), peek() == Self.quote { message = try readString() }
            else { try skipValue() }
        }
        return (code ?? type, message)
    }

    // MARK: - Tokens

    private struct KeyRange { var start: Int; var end: Int; var mayHaveEscapes: Bool }

    private func fail(_ reason: String) -> LineScanFailure { LineScanFailure(reason: reason, offset: i) }

    @inline(__always) private mutating func skipWhitespace() {
        while i < count {
            let b = base[i]
            guard b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A else { return }
            i += 1
        }
    }

    /// The next non-space byte, without consuming it (0 at the end).
    @inline(__always) private mutating func peek() -> UInt8 {
        skipWhitespace()
        return i < count ? base[i] : 0
    }

    private mutating func beginObject() throws(LineScanFailure) {
        guard peek() == UInt8(ascii: "{") else { throw fail(i < count ? "expected an object" : "line ends early") }
        i += 1
    }

    /// The next key of the current object and its colon, or nil after the closing brace.
    private mutating func nextKey(_ first: inout Bool) throws(LineScanFailure) -> KeyRange? {
        var b = peek()
        if b == UInt8(ascii: "}") { i += 1; return nil }
        if !first {
            guard b == UInt8(ascii: ",") else { throw fail(i < count ? "expected , or } in an object" : "line ends early (truncated)") }
            i += 1
            b = peek()
        }
        first = false
        guard b == Self.quote else { throw fail(i < count ? "expected a key" : "line ends early (truncated)") }
        let (start, end, escapes) = try scanString()
        guard peek() == UInt8(ascii: ":") else { throw fail("expected : after a key") }
        i += 1
        skipWhitespace()
        return KeyRange(start: start, end: end, mayHaveEscapes: escapes)
    }

    /// Consumes a string starting at its opening quote; returns the raw content range (escapes intact).
    /// Returns the content range and whether it may contain a backslash (false is certain).
    @inline(__always) private mutating func scanString() throws(LineScanFailure) -> (Int, Int, Bool) {
        let start = i + 1
        // Most strings are short keys and values: a plain loop beats a memchr call for those.
        var j = start
        let shortLimit = min(count, start + 32)
        while j < shortLimit {
            let b = base[j]
            if b == Self.quote { i = j + 1; return (start, j, false) }
            if b == Self.backslash { break }
            j += 1
        }
        var from = j
        while from <= count {
            guard let hit = memchr(base + from, Int32(Self.quote), count - from) else { break }
            let q = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var k = q - 1
            var backslashes = 0
            while k >= start, base[k] == Self.backslash { backslashes += 1; k -= 1 }
            if backslashes & 1 == 0 {
                i = q + 1
                return (start, q, true)
            }
            from = q + 1
        }
        throw fail("unterminated string (truncated line)")
    }

    /// Whether a key equals `name`, decoding escapes only when the key has any.
    private func matches(_ key: KeyRange, _ name: StaticString) -> Bool {
        let length = key.end - key.start
        if !key.mayHaveEscapes || memchr(base + key.start, Int32(Self.backslash), length) == nil {
            return length == name.utf8CodeUnitCount && memcmp(base + key.start, name.utf8Start, length) == 0
        }
        guard let decoded = try? unescape(key.start, key.end) else { return false }
        return decoded.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Reads a string value (escapes decoded) at the current position.
    private mutating func readString() throws(LineScanFailure) -> String {
        let (start, end, escapes) = try scanString()
        if !escapes || memchr(base + start, Int32(Self.backslash), end - start) == nil {
            return String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        }
        return String(decoding: try unescape(start, end), as: UTF8.self)
    }

    /// A non-negative integer count, or nil for `null`; anything else fails the line.
    private mutating func readCount() throws(LineScanFailure) -> Int64? {
        let b = peek()
        if b == UInt8(ascii: "n") { try literal("null"); return nil }
        var value: Int64 = 0
        var digits = 0
        while i < count, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
            digits += 1
            guard digits <= 18 else { throw fail("integer too large") }
            value = value * 10 + Int64(base[i] - UInt8(ascii: "0"))
            i += 1
        }
        guard digits > 0 else { throw fail("expected a non-negative integer") }
        if i < count, base[i] == UInt8(ascii: ".") || base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") {
            throw fail("expected an integer, got a fraction or exponent")
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(LineScanFailure) {
        let n = word.utf8CodeUnitCount
        guard count - i >= n, memcmp(base + i, word.utf8Start, n) == 0 else { throw fail("invalid literal") }
        i += n
    }

    /// Skips one value of any type.
    private mutating func skipValue() throws(LineScanFailure) {
        switch peek() {
        case Self.quote: _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): try skipContainer()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            i += 1
            while i < count {
                let b = base[i]
                guard (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
                        || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") else { break }
                i += 1
            }
            if i - start == 1, base[start] == UInt8(ascii: "-") { throw fail("invalid number") }
        case 0: throw fail("line ends early (truncated)")
        default: throw fail("unexpected character")
        }
    }

    /// Skips an object or array by counting brackets outside strings.
    ///
    /// Eight bytes at a time are tested for a quote or bracket first (SWAR), why: long runs without
    /// structure (embedding vectors, numbers) dominate skipped containers.
    private mutating func skipContainer() throws(LineScanFailure) {
        var depth = 0
        while i < count {
            var blockEnd = count
            if count - i >= 8 {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                if !Self.hasStructuralByte(word) {
                    i += 8
                    continue
                }
                blockEnd = i + 8
            }
            while i < blockEnd {
                switch base[i] {
                case Self.quote:
                    _ = try scanString()
                    blockEnd = i   // resume word-wise after the string
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { i += 1; return }
                default:
                    break
                }
                i += 1
            }
        }
        throw fail("unclosed object or array (truncated line)")
    }

    /// Whether any byte of `word` is `"`, `{`, `}`, `[` or `]`.
    ///
    /// `'[' | 0x20 == '{'` and `']' | 0x20 == '}'`, so two compares cover the four brackets; a
    /// byte equal to c is found as a zero byte of `word ^ c*0x01..01` (the classic has-zero trick,
    /// which may report a false positive only next to a real match, and the byte loop re-checks).
    @inline(__always) static func hasStructuralByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let folded = word | (0x20 &* ones)
        return hasZero(word ^ (0x22 &* ones)) || hasZero(folded ^ (0x7B &* ones)) || hasZero(folded ^ (0x7D &* ones))
    }

    /// Decodes JSON escapes in `base[start..<end]` to UTF-8 bytes.
    private func unescape(_ start: Int, _ end: Int) throws(LineScanFailure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var k = start
        func hex4(_ at: Int) throws(LineScanFailure) -> UInt32 {
            guard at + 4 <= end else { throw LineScanFailure(reason: "short \\u escape", offset: at) }
            var v: UInt32 = 0
            for j in at..<(at + 4) {
                let c = base[j]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw LineScanFailure(reason: "bad \\u escape", offset: j)
                }
                v = v << 4 | d
            }
            return v
        }
        while k < end {
            let b = base[k]
            guard b == Self.backslash else { out.append(b); k += 1; continue }
            guard k + 1 < end else { throw LineScanFailure(reason: "dangling backslash", offset: k) }
            let e = base[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(k)
                k += 4
                if scalar >= 0xD800, scalar < 0xDC00, k + 6 <= end, base[k] == Self.backslash, base[k + 1] == UInt8(ascii: "u") {
                    let low = try hex4(k + 2)
                    if low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                }
                // A lone surrogate is not a scalar; it becomes U+FFFD as decoders do.
                let decoded = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(decoded)).utf8)
            default:
                throw LineScanFailure(reason: "invalid escape", offset: k - 1)
            }
        }
        return out
    }
}
