/// Where each request line of a validated file is, and its estimated tokens: what the chunker needs.
///
/// Entry `k` is the `k`-th non-blank line, which in a valid file is line `k + 1` (blank lines are
/// only allowed at the end). 20 bytes per request: a 200 MB file of 150-byte requests needs ~27 MB.
public struct LineIndex: Sendable, Hashable {
    /// File offset of each line's first byte (after a byte-order mark on line 1).
    public private(set) var offsets: [Int64] = []
    /// Byte length of each line without its `\n` or `\r\n`.
    public private(set) var lengths: [UInt32] = []
    /// Estimated input tokens of each line.
    public private(set) var tokens: [UInt32] = []
    /// Inputs in `body.input` of each line (what the embeddings per-batch input limit counts).
    public private(set) var inputs: [UInt32] = []

    public init() {}

    /// Number of entries.
    public var count: Int { offsets.count }

    /// Makes room for `n` entries up front.
    public mutating func reserveCapacity(_ n: Int) {
        offsets.reserveCapacity(n); lengths.reserveCapacity(n); tokens.reserveCapacity(n); inputs.reserveCapacity(n)
    }

    /// Adds one line.
    public mutating func append(offset: Int64, length: Int, tokens estimate: Int, inputs count: Int = 0) {
        offsets.append(offset)
        lengths.append(UInt32(clamping: length))
        tokens.append(UInt32(clamping: estimate))
        inputs.append(UInt32(clamping: count))
    }

    /// Bytes the line takes in an uploaded chunk: its content plus one `\n`.
    @inline(__always)
    public func uploadBytes(_ k: Int) -> Int64 { Int64(lengths[k]) + 1 }
}
