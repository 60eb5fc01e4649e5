import Foundation

/// JSON made safe to `cat` on a terminal without losing a byte of data.
///
/// Rule: every `--json` document escapes what `UntrustedText.isUnsafe` names (C0 controls, DEL, C1
/// controls, bidirectional controls) as `\uXXXX`, inside strings, why: `JSONEncoder` writes U+009B
/// (an 8-bit CSI) and U+202E raw, and VTE terminals, screen and mosh act on them; escaped, a JSON
/// parser reads back exactly the same string while the terminal sees six printable characters.
/// Outside strings, JSON writers emit only printable ASCII, spaces and newlines, so the newline
/// (pretty printing) is the one control byte left as is.
///
/// Works on bytes, so it can filter a stream (`jobs --json` splices stored provider JSON in chunks):
/// a multi-byte character split across two chunks is held back until the next one.
public struct TerminalSafeJSON: Sendable {
    /// Bytes of an unfinished UTF-8 sequence from the end of the previous chunk.
    private var pending: [UInt8] = []

    public init() {}

    /// Encodes `value` with sorted keys (pretty unless `compact`), escaped for a terminal, with a final newline.
    public static func encode<T: Encodable>(_ value: T, compact: Bool = false,
                                            keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws -> SafeText {
        let encoder = JSONEncoder()
        encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = keys
        var data = try encoder.encode(value)
        data.append(0x0A)
        return escape(data)
    }

    /// One whole JSON document, escaped.
    public static func escape(_ json: Data) -> SafeText {
        var filter = TerminalSafeJSON()
        var out = filter.escape(chunk: json)
        out += filter.finish()
        return out
    }

    /// The next chunk of a JSON stream, escaped; an unfinished trailing character waits for the next chunk.
    public mutating func escape(chunk: Data) -> SafeText {
        if pending.isEmpty {
            // The chunk's bytes in place: no copy (copying a Data costs more than escaping it).
            return chunk.withUnsafeBytes { raw in escape(raw.bindMemory(to: UInt8.self)) }
        }
        var input = pending
        input.append(contentsOf: chunk)
        pending = []
        return input.withUnsafeBufferPointer { escape($0) }
    }

    private mutating func escape(_ all: UnsafeBufferPointer<UInt8>) -> SafeText {
        let tail = Self.unfinishedTail(all)
        if tail > 0 { pending = Array(all[(all.count - tail)...]) }
        let bytes = UnsafeBufferPointer(rebasing: all[..<(all.count - tail)])
        // Fast path: nothing to escape (almost every chunk); invalid bytes become U+FFFD in the String.
        if !Self.mayNeedEscaping(bytes) { return SafeText(verified: String(decoding: bytes, as: UTF8.self)) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        let n = bytes.count
        var i = 0
        while i < n {
            // A run of printable ASCII (and newlines) is copied at once.
            var j = i
            while j < n, (bytes[j] >= 0x20 && bytes[j] < 0x7F) || bytes[j] == 0x0A { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j])) }
            i = j
            guard i < n else { break }
            let b = bytes[i]
            if b < 0x80 {
                Self.appendEscape(UInt32(b), to: &out)
                i += 1
                continue
            }
            switch Self.decode(bytes, at: i) {
            case .scalar(let v, let length):
                if let scalar = Unicode.Scalar(v), UntrustedText.isUnsafe(scalar) {
                    Self.appendEscape(v, to: &out)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]))
                }
                i += length
            case .incomplete, .invalid:
                // Not UTF-8: the replacement character, so the output stays valid text.
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += 1
            }
        }
        return SafeText(verified: String(decoding: out, as: UTF8.self))
    }

    /// What is left at the end of the stream (an unfinished character becomes U+FFFD).
    public mutating func finish() -> SafeText {
        defer { pending.removeAll() }
        return pending.isEmpty ? SafeText(verified: "") : SafeText(verified: "\u{FFFD}")
    }

    /// Whether any byte could start something to escape: a C0 control but newline, DEL, or the lead
    /// byte of the only ranges holding unsafe scalars (0xC2: C1 controls; 0xD8: U+061C; 0xE2: the
    /// bidi controls). One cheap pass; `escape` does the exact work only when this says yes.
    static func mayNeedEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        @inline(__always) func flagged(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x0A) || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 }
        let n = bytes.count
        var i = 0
        if let base = bytes.baseAddress {
            // Eight bytes at a time: only a word holding a byte below 0x20, DEL or a non-ASCII byte is
            // looked at byte by byte (exact bit tricks, no false negatives).
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= n {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let del = x ^ (ones &* 0x7F)
                let suspicious = ((x &- ones &* 0x20) & ~x) | ((del &- ones) & ~del) | x
                if suspicious & highs != 0 {
                    for k in i..<(i + 8) where flagged(bytes[k]) { return true }
                }
                i += 8
            }
        }
        while i < n {
            if flagged(bytes[i]) { return true }
            i += 1
        }
        return false
    }

    /// How many bytes at the end of `bytes` are the start of a character the next chunk finishes.
    static func unfinishedTail(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let n = bytes.count
        for back in 1...min(3, max(1, n)) where n >= back {
            let b = bytes[n - back]
            if b & 0xC0 == 0x80 { continue }  // a continuation byte: look further back for its lead
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return length > back ? back : 0
        }
        return 0
    }

    enum Decoded { case scalar(UInt32, Int), incomplete, invalid }

    /// The UTF-8 sequence starting at `i` (a byte of 0x80 or more): well-formed, cut off by the end of
    /// the chunk, or not UTF-8 (stray continuation, overlong form, surrogate, beyond U+10FFFF).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Decoded {
        let b = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch b {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1...0xF3: length = 4
        default: return .invalid
        }
        var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length {
            guard i + k < bytes.count else { return .incomplete }
            let c = bytes[i + k]
            guard c >= (k == 1 ? low : 0x80), c <= (k == 1 ? high : 0xBF) else { return .invalid }
            v = v << 6 | UInt32(c & 0x3F)
        }
        return .scalar(v, length)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    static func appendEscape(_ v: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"),
                                hex[Int(v >> 12 & 0xF)], hex[Int(v >> 8 & 0xF)], hex[Int(v >> 4 & 0xF)], hex[Int(v & 0xF)]])
    }
}
