/// The end of the audit chain, as exported by `batchtop audit --head` and checked by
/// `batchtop audit --verify --expect-head`: the last row's id (its sequence number) and hash.
///
/// Rule: an operator keeps the head somewhere the database's writers cannot reach, why: a chain cut
/// back to an earlier state, or rebuilt without signatures, is caught only by comparing with a head
/// kept outside the database.
public struct AuditHead: Sendable, Hashable, CustomStringConvertible {
    /// The last row's id; 0 for an empty chain.
    public var sequence: Int64
    /// The last row's hash (64 lowercase hex digits); all zeros for an empty chain.
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence; self.hash = hash
    }

    /// The head of a chain with no rows.
    public static let genesis = AuditHead(sequence: 0, hash: String(repeating: "0", count: 64))

    /// `SEQUENCE HASH`, the form `--head` prints and `--expect-head` reads back.
    public var description: String { "\(sequence) \(hash)" }

    /// Reads `SEQUENCE HASH`, `SEQUENCE:HASH` or a bare `HASH` (then `sequence` is nil).
    ///
    /// Returns nil unless the hash is 64 hex digits and the sequence (when given) a whole number >= 0.
    public static func parse(_ text: String) -> (sequence: Int64?, hash: String)? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "\t" || $0 == "\n" }).map(String.init)
        guard let last = parts.last?.lowercased(), last.count == 64,
              last.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        switch parts.count {
        case 1: return (nil, last)
        case 2:
            guard let sequence = Int64(parts[0]), sequence >= 0 else { return nil }
            return (sequence, last)
        default: return nil
        }
    }
}

/// The `audit_head` record: how many rows were ever appended, the last one's id and hash, and (when
/// written with the audit key) a MAC over the three, updated in the transaction of every append.
///
/// Rule: the counter lives apart from the rows, why: rows deleted from the end (or all of them) leave
/// a shorter chain that still links; the counter still says how long it was.
public struct AuditHeadRecord: Sendable, Hashable {
    /// Rows appended since the record was created (the rows present when it was created included).
    public var rowCount: Int64
    /// The id of the last appended row; nil before the first.
    public var lastID: Int64?
    /// The hash of the last appended row; nil before the first.
    public var headHash: String?
    /// HMAC-SHA256 of the three under the audit key; nil while the chain was never signed.
    public var mac: String?

    public init(rowCount: Int64, lastID: Int64?, headHash: String?, mac: String?) {
        self.rowCount = rowCount; self.lastID = lastID; self.headHash = headHash; self.mac = mac
    }
}
