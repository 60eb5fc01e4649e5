/// Splits a validated input file into chunks within the per-batch limits, keeping input order.
///
/// Rule: greedy, filling each chunk up to the first limit it would cross, why: fewer batches means
/// fewer uploads and polls, and order is kept so results line up with the input for a reader.
public struct ChunkPlanner: Sendable {
    public var limits: ChunkLimits

    public init(limits: ChunkLimits = ChunkLimits()) { self.limits = limits }

    /// The chunks of a valid file; throws when the file has errors or one request alone breaks a limit.
    public func plan(_ summary: InputFileSummary) throws(ChunkPlanError) -> [Chunk] {
        guard summary.isValid else { throw .invalidFile(path: summary.path, errors: summary.errorCount) }
        guard limits.maxRequests > 0 else { throw .invalidLimits("maxRequests must be positive") }
        guard limits.maxBytes > 0 else { throw .invalidLimits("maxBytes must be positive") }
        if let t = limits.maxEstimatedTokens, t <= 0 { throw .invalidLimits("maxEstimatedTokens must be positive") }
        guard limits.maxEmbeddingInputs > 0 else { throw .invalidLimits("maxEmbeddingInputs must be positive") }
        // The provider counts inputs only for embeddings batches.
        let countInputs = summary.endpoint == "/v1/embeddings"
        let index = summary.index
        var chunks: [Chunk] = []
        var start = 0
        var bytes: Int64 = 0
        var tokens: Int64 = 0
        var inputs = 0

        func close(at end: Int) {
            guard end > start else { return }
            let last = end - 1
            chunks.append(Chunk(
                index: chunks.count, firstLine: start + 1, lastLine: end, entries: start..<end,
                byteRange: index.offsets[start]..<(index.offsets[last] + Int64(index.lengths[last])),
                requestCount: end - start, uploadBytes: bytes,
                estimatedTokens: TokenCount(value: tokens, exact: false), embeddingInputs: inputs))
            start = end; bytes = 0; tokens = 0; inputs = 0
        }

        for k in 0..<index.count {
            let lineBytes = index.uploadBytes(k)
            let lineTokens = Int64(index.tokens[k])
            let lineInputs = Int(index.inputs[k])
            guard lineBytes <= limits.maxBytes else {
                throw .requestTooLarge(line: k + 1, bytes: lineBytes, limit: limits.maxBytes)
            }
            if let maxTokens = limits.maxEstimatedTokens, lineTokens > maxTokens {
                throw .requestOverTokenLimit(line: k + 1, tokens: lineTokens, limit: maxTokens)
            }
            if countInputs && lineInputs > limits.maxEmbeddingInputs {
                throw .requestOverInputLimit(line: k + 1, inputs: lineInputs, limit: limits.maxEmbeddingInputs)
            }
            let full = k - start >= limits.maxRequests
                || countInputs && inputs + lineInputs > limits.maxEmbeddingInputs
                || bytes + lineBytes > limits.maxBytes
                || limits.maxEstimatedTokens.map { tokens + lineTokens > $0 } ?? false
            if full { close(at: k) }
            bytes += lineBytes
            tokens += lineTokens
            inputs += lineInputs
        }
        close(at: index.count)
        return chunks
    }
}
