/// A deliberately plain RFC 8259 parser, the oracle the byte scanners are checked against.
///
/// Written for obviousness, not speed: recursive descent over the grammar in the RFC, strict UTF-8
/// (shortest form, no surrogates, at most U+10FFFF), objects kept as ordered pairs so duplicate keys
/// stay visible. A lone surrogate escape (`"\ud800"`) is grammatical JSON; its value becomes U+FFFD,
/// which is what both batchtop scanners document.
public indirect enum JSONValue: Equatable {
    case object([(key: String, value: JSONValue)], range: Range<Int>)
    case array([JSONValue], range: Range<Int>)
    case string(String)
    /// The number's text, exactly as written.
    case number(String)
    case bool(Bool)
    case null

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x, _), .object(y, _)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.array(x, _), .array(y, _)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.number(x), .number(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// The last value of `key` in an object (what a last-wins parser keeps).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let pairs, _) = self else { return nil }
        return pairs.last { $0.key == key }?.value
    }

    /// How many times `key` appears in an object.
    public func count(of key: String) -> Int {
        guard case .object(let pairs, _) = self else { return 0 }
        return pairs.reduce(0) { $0 + ($1.key == key ? 1 : 0) }
    }

    /// Whether any object in the tree repeats a key.
    public var hasDuplicateKeys: Bool {
        switch self {
        case .object(let pairs, _):
            var seen = Set<String>()
            for p in pairs where !seen.insert(p.key).inserted { return true }
            return pairs.contains { $0.value.hasDuplicateKeys }
        case .array(let items, _): return items.contains { $0.hasDuplicateKeys }
        default: return false
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var isObject: Bool { if case .object = self { return true }; return false }
    public var isArray: Bool { if case .array = self { return true }; return false }
}

public enum ReferenceJSON {
    /// Parses one complete JSON text; nil when it is not valid JSON or nests deeper than `maxDepth` containers.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONValue? {
        var p = Parser(b: bytes, maxDepth: maxDepth)
        p.ws()
        guard let v = p.value(depth: 0) else { return nil }
        p.ws()
        return p.i == bytes.count ? v : nil
    }

    private struct Parser {
        let b: [UInt8]
        let maxDepth: Int
        var i = 0

        init(b: [UInt8], maxDepth: Int) { self.b = b; self.maxDepth = maxDepth }

        func peek() -> UInt8? { i < b.count ? b[i] : nil }

        mutating func ws() {
            while let c = peek(), c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 }
        }

        mutating func eat(_ c: UInt8) -> Bool {
            guard peek() == c else { return false }
            i += 1
            return true
        }

        mutating func value(depth: Int) -> JSONValue? {
            guard let c = peek() else { return nil }
            switch c {
            case UInt8(ascii: "{"): return depth < maxDepth ? object(depth: depth + 1) : nil
            case UInt8(ascii: "["): return depth < maxDepth ? array(depth: depth + 1) : nil
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return nil
            }
        }

        mutating func literal(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= b.count, Array(b[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }

        mutating func object(depth: Int) -> JSONValue? {
            let start = i
            i += 1
            var pairs: [(key: String, value: JSONValue)] = []
            ws()
            if eat(UInt8(ascii: "}")) { return .object(pairs, range: start..<i) }
            while true {
                ws()
                guard peek() == UInt8(ascii: "\""), let key = string() else { return nil }
                ws()
                guard eat(UInt8(ascii: ":")) else { return nil }
                ws()
                guard let v = value(depth: depth) else { return nil }
                pairs.append((key, v))
                ws()
                if eat(UInt8(ascii: ",")) { continue }
                guard eat(UInt8(ascii: "}")) else { return nil }
                return .object(pairs, range: start..<i)
            }
        }

        mutating func array(depth: Int) -> JSONValue? {
            let start = i
            i += 1
            var items: [JSONValue] = []
            ws()
            if eat(UInt8(ascii: "]")) { return .array(items, range: start..<i) }
            while true {
                ws()
                guard let v = value(depth: depth) else { return nil }
                items.append(v)
                ws()
                if eat(UInt8(ascii: ",")) { continue }
                guard eat(UInt8(ascii: "]")) else { return nil }
                return .array(items, range: start..<i)
            }
        }

        mutating func number() -> JSONValue? {
            let start = i
            _ = eat(UInt8(ascii: "-"))
            guard let first = peek(), isDigit(first) else { return nil }
            i += 1
            if first != UInt8(ascii: "0") { while let c = peek(), isDigit(c) { i += 1 } }
            if eat(UInt8(ascii: ".")) {
                guard let c = peek(), isDigit(c) else { return nil }
                while let c = peek(), isDigit(c) { i += 1 }
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                i += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { i += 1 }
                guard let c = peek(), isDigit(c) else { return nil }
                while let c = peek(), isDigit(c) { i += 1 }
            }
            return .number(String(decoding: b[start..<i], as: UTF8.self))
        }

        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

        func hex(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= b.count else { return nil }
            var v: UInt32 = 0
            for k in 0..<4 {
                guard let h = hex(b[i + k]) else { return nil }
                v = v << 4 | h
            }
            i += 4
            return v
        }

        /// A string at the opening quote; its value with escapes decoded.
        mutating func string() -> String? {
            i += 1
            var scalars = String.UnicodeScalarView()
            while true {
                guard let c = peek() else { return nil }
                if c == UInt8(ascii: "\"") { i += 1; return String(scalars) }
                if c < 0x20 { return nil }
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard let e = peek() else { return nil }
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        guard let u = hex4() else { return nil }
                        if u >= 0xD800 && u < 0xDC00, i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                            // A high surrogate followed by an escape: a pair when that escape is a low surrogate.
                            let save = i
                            i += 2
                            if let low = hex4(), low >= 0xDC00 && low < 0xE000 {
                                scalars.append(Unicode.Scalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00))!)
                                continue
                            }
                            i = save
                        }
                        scalars.append(Unicode.Scalar(u) ?? "\u{FFFD}")
                    default: return nil
                    }
                    continue
                }
                if c < 0x80 { scalars.append(Unicode.Scalar(c)); i += 1; continue }
                guard let s = utf8Scalar() else { return nil }
                scalars.append(s)
            }
        }

        /// One multi-byte UTF-8 sequence, strictly.
        mutating func utf8Scalar() -> Unicode.Scalar? {
            let c0 = b[i]
            let n: Int
            var v: UInt32
            switch c0 {
            case 0xC2...0xDF: n = 2; v = UInt32(c0 & 0x1F)
            case 0xE0...0xEF: n = 3; v = UInt32(c0 & 0x0F)
            case 0xF0...0xF4: n = 4; v = UInt32(c0 & 0x07)
            default: return nil
            }
            guard i + n <= b.count else { return nil }
            for k in 1..<n {
                let c = b[i + k]
                guard c & 0xC0 == 0x80 else { return nil }
                v = v << 6 | UInt32(c & 0x3F)
            }
            let minimum: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
            guard v >= minimum, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v), let s = Unicode.Scalar(v) else { return nil }
            i += n
            return s
        }
    }
}
