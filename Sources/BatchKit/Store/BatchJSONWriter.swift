/// Writes a `Batch` (and its parts) as compact, deterministic JSON in the provider's shape.
///
/// Rule: hand-written rather than `JSONEncoder`, why: the sync worker stores the raw JSON of every
/// job it upserts and `batchtop jobs --json` splices it verbatim; `JSONEncoder` is several times
/// slower on Linux and orders dictionary keys at random, which would defeat "unchanged" detection.
/// The output decodes back to an equal `Batch` (tested).
enum BatchJSONWriter {
    /// The whole batch object.
    static func encode(_ b: Batch) -> String {
        encode(b, metadataJSON: encodeMetadata(b.metadata))
    }

    /// The whole batch object, splicing in `metadataJSON` (from `encodeMetadata`) so it is built once.
    static func encode(_ b: Batch, metadataJSON: String) -> String {
        var w = JSONBuffer(capacity: 768)
        w.raw("{\"id\":"); w.string(b.id)
        w.raw(",\"object\":\"batch\",\"endpoint\":"); w.string(b.endpoint)
        w.raw(",\"model\":"); w.optString(b.model)
        w.raw(",\"errors\":")
        if b.errors.isEmpty { w.raw("null") } else { w.raw("{\"object\":\"list\",\"data\":"); w.errors(b.errors); w.raw("}") }
        w.raw(",\"input_file_id\":"); w.string(b.inputFileID)
        w.raw(",\"completion_window\":"); w.string(b.completionWindow)
        w.raw(",\"status\":"); w.string(b.status.rawValue)
        w.raw(",\"output_file_id\":"); w.optString(b.outputFileID)
        w.raw(",\"error_file_id\":"); w.optString(b.errorFileID)
        w.raw(",\"created_at\":"); w.int(b.createdAt)
        w.raw(",\"in_progress_at\":"); w.optInt(b.inProgressAt)
        w.raw(",\"expires_at\":"); w.optInt(b.expiresAt)
        w.raw(",\"finalizing_at\":"); w.optInt(b.finalizingAt)
        w.raw(",\"completed_at\":"); w.optInt(b.completedAt)
        w.raw(",\"failed_at\":"); w.optInt(b.failedAt)
        w.raw(",\"expired_at\":"); w.optInt(b.expiredAt)
        w.raw(",\"cancelling_at\":"); w.optInt(b.cancellingAt)
        w.raw(",\"cancelled_at\":"); w.optInt(b.cancelledAt)
        w.raw(",\"request_counts\":{\"total\":"); w.int(Int64(b.requestCounts.total))
        w.raw(",\"completed\":"); w.int(Int64(b.requestCounts.completed))
        w.raw(",\"failed\":"); w.int(Int64(b.requestCounts.failed))
        w.raw("},\"usage\":")
        if let u = b.usage {
            w.raw("{\"input_tokens\":"); w.int(u.inputTokens)
            w.raw(",\"input_tokens_details\":{\"cached_tokens\":"); w.int(u.cachedInputTokens)
            w.raw("},\"output_tokens\":"); w.int(u.outputTokens)
            w.raw(",\"output_tokens_details\":{\"reasoning_tokens\":"); w.int(u.reasoningTokens)
            w.raw("},\"total_tokens\":"); w.int(u.totalTokens)
            w.raw("}")
        } else {
            w.raw("null")
        }
        w.raw(",\"metadata\":"); w.bytes.append(contentsOf: metadataJSON.utf8)
        w.raw("}")
        return w.text
    }

    /// `metadata` as a JSON object with sorted keys.
    static func encodeMetadata(_ metadata: [String: String]) -> String {
        var w = JSONBuffer(capacity: 64)
        w.metadata(metadata)
        return w.text
    }

    /// `errors.data` as a JSON array, or nil when there are none.
    static func encodeErrors(_ errors: [BatchErrorItem]) -> String? {
        if errors.isEmpty { return nil }
        var w = JSONBuffer(capacity: 128)
        w.errors(errors)
        return w.text
    }
}

/// A growable UTF-8 byte buffer with JSON primitives.
struct JSONBuffer {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ v: Int64) {
        if v == 0 { bytes.append(UInt8(ascii: "0")); return }
        var n = v.magnitude
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while n > 0 {
                buf[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buf[i]) }
        }
    }

    mutating func optInt(_ v: Int64?) {
        if let v { int(v) } else { raw("null") }
    }

    mutating func optString(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: most ids, names and statuses need no escaping at all.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F }) {
            bytes.append(contentsOf: s.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          hex[Int(c >> 4)], hex[Int(c & 0xF)]])
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func metadata(_ m: [String: String]) {
        if m.isEmpty { raw("{}"); return }
        raw("{")
        var first = true
        for key in m.keys.sorted() {
            if !first { raw(",") }
            first = false
            string(key); raw(":"); string(m[key]!)
        }
        raw("}")
    }

    mutating func errors(_ errors: [BatchErrorItem]) {
        raw("[")
        for (i, e) in errors.enumerated() {
            if i > 0 { raw(",") }
            raw("{\"code\":"); optString(e.code)
            raw(",\"message\":"); optString(e.message)
            raw(",\"param\":"); optString(e.param)
            raw(",\"line\":"); optInt(e.line.map(Int64.init))
            raw("}")
        }
        raw("]")
    }
}
