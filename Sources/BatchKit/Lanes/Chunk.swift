/// A run of consecutive requests of an input file that goes to the provider as one batch.
public struct Chunk: Codable, Sendable, Hashable, Identifiable {
    /// 0-based position in the plan; chunks are in input order.
    public var index: Int
    /// 1-based input lines, inclusive.
    public var firstLine: Int
    public var lastLine: Int
    /// `LineIndex` entries covered.
    public var entries: Range<Int>
    /// Source file bytes covered: from the first line's first byte to the last line's last content byte.
    public var byteRange: Range<Int64>
    /// Requests in the chunk.
    public var requestCount: Int
    /// Size of the chunk's own JSONL file (every line `\n`-terminated, no byte-order mark).
    public var uploadBytes: Int64
    /// Estimated input tokens of the chunk's requests.
    public var estimatedTokens: TokenCount
    /// Inputs in its requests' `body.input` (counted against the embeddings limit).
    public var embeddingInputs: Int

    public var id: Int { index }

    public init(index: Int, firstLine: Int, lastLine: Int, entries: Range<Int>, byteRange: Range<Int64>,
                requestCount: Int, uploadBytes: Int64, estimatedTokens: TokenCount, embeddingInputs: Int = 0) {
        self.index = index; self.firstLine = firstLine; self.lastLine = lastLine; self.entries = entries
        self.byteRange = byteRange; self.requestCount = requestCount; self.uploadBytes = uploadBytes
        self.estimatedTokens = estimatedTokens; self.embeddingInputs = embeddingInputs
    }

    /// The lines as a range, for display ("lines 1-50000").
    public var lines: ClosedRange<Int> { firstLine...lastLine }
}

/// The most one chunk may hold; defaults are the provider's per-batch limits.
public struct ChunkLimits: Codable, Sendable, Hashable {
    /// Requests per chunk (provider: 50,000).
    public var maxRequests: Int
    /// Inputs per chunk of an `/v1/embeddings` file (provider: 50,000 in total per batch).
    public var maxEmbeddingInputs: Int
    /// Bytes of the chunk's JSONL file (provider: 200 MB, taken as 200,000,000 to stay under either reading).
    public var maxBytes: Int64
    /// Estimated input tokens per chunk, e.g. the model's enqueued-token limit so every chunk can be admitted.
    public var maxEstimatedTokens: Int64?

    public init(maxRequests: Int = 50_000, maxBytes: Int64 = 200_000_000, maxEstimatedTokens: Int64? = nil,
                maxEmbeddingInputs: Int = 50_000) {
        self.maxRequests = maxRequests; self.maxEmbeddingInputs = maxEmbeddingInputs; self.maxBytes = maxBytes; self.maxEstimatedTokens = maxEstimatedTokens
    }
}

/// Why a file could not be split into chunks.
public enum ChunkPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file has validation errors; fix them first.
    case invalidFile(path: String, errors: Int)
    /// A limit is zero or negative.
    case invalidLimits(String)
    /// One request alone is over the byte limit per chunk.
    case requestTooLarge(line: Int, bytes: Int64, limit: Int64)
    /// One embeddings request alone has more inputs than a chunk may hold.
    case requestOverInputLimit(line: Int, inputs: Int, limit: Int)
    /// One request alone is estimated over the token limit per chunk.
    case requestOverTokenLimit(line: Int, tokens: Int64, limit: Int64)

    public var description: String {
        switch self {
        case .invalidFile(let path, let errors):
            return "\(path) has \(errors) validation error(s); fix them before chunking"
        case .invalidLimits(let why):
            return "invalid chunk limits: \(why)"
        case .requestTooLarge(let line, let bytes, let limit):
            return "line \(line) is \(bytes) bytes, over the \(limit)-byte limit per chunk; no chunk can hold it"
        case .requestOverInputLimit(let line, let inputs, let limit):
            return "line \(line) has \(inputs) embedding inputs, over the \(limit) per batch; split its input array"
        case .requestOverTokenLimit(let line, let tokens, let limit):
            return "line \(line) is estimated at \(tokens) input tokens, over the \(limit)-token limit per chunk; no chunk can hold it"
        }
    }
}
