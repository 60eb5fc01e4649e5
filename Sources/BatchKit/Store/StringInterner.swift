import Foundation

/// Hands out one shared `String` per distinct text column value while reading many rows.
///
/// Why: a list of 100,000 jobs names a handful of workloads, lanes, models and endpoints; sharing
/// one String per name keeps a single buffer instead of one heap copy per row. Lookups hash the
/// column bytes in place, so a known value costs no allocation at all.
struct StringInterner {
    private var buckets: [Int: [String]] = [:]

    /// The text of `column` in `row`, shared with every earlier equal value; nil for NULL.
    mutating func text(_ row: borrowing SQLiteRow, _ column: Int32) -> String? {
        row.withBytes(column) { bytes -> String in
            // Short names live in a String's inline storage and cost nothing to repeat.
            if bytes.count <= 15 { return String(decoding: bytes, as: UTF8.self) }
            var hasher = Hasher()
            hasher.combine(bytes: bytes)
            let key = hasher.finalize()
            if let known = buckets[key]?.first(where: { Self.equal($0, bytes) }) { return known }
            let s = String(decoding: bytes, as: UTF8.self)
            buckets[key, default: []].append(s)
            return s
        }
    }

    private static func equal(_ s: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var s = s
        return s.withUTF8 { buf in buf.count == bytes.count && memcmp(buf.baseAddress!, bytes.baseAddress!, buf.count) == 0 }
    }
}
