import Foundation
import GRDB

/// Submissions, their chunks (the local queue) and the jobs batchtop creates for them.
extension BatchStore {
    /// A stored chunk with the submission it belongs to.
    public struct QueuedChunk: Sendable, Hashable {
        public var submission: SubmissionRecord
        public var record: ChunkRecord

        /// The chunk as the admission controller sees it.
        public var held: HeldChunk {
            HeldChunk(submissionID: submission.id, chunk: record.chunk, model: submission.model,
                      lane: submission.lane, heldSince: record.heldSince)
        }
    }

    static let submissionColumns = """
        s.id, s.workload, s.lane, s.endpoint, s.model, s.source_path, s.source_bytes, s.source_mtime_nanos, s.deadline,
        s.route_reason, s.state, s.results_path, s.created_at, s.updated_at
        """
    static let chunkColumns = """
        c.submission_id, c.chunk_index, c.first_line, c.last_line, c.first_entry, c.end_entry, c.byte_start, c.byte_end,
        c.request_count, c.upload_bytes, c.estimated_tokens, c.tokens_exact, c.embedding_inputs, c.state, c.file_id,
        c.batch_id, c.requeue_count, c.held_since, c.last_error
        """

    /// Stores a new submission and its planned chunks in one transaction.
    public func createSubmission(_ s: SubmissionRecord, chunks: [ChunkRecord]) throws {
        try write("storing submission \(s.id)") { db in
            try db.execute(sql: """
                INSERT INTO submissions (id, workload, lane, endpoint, model, source_path, source_bytes, source_mtime_nanos,
                    deadline, route_reason, state, results_path, created_at, updated_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, arguments: [s.id, s.workload, s.lane.rawValue, s.endpoint, s.model, s.sourcePath, s.sourceBytes,
                                 s.sourceModifiedAtNanos, s.deadline, s.routeReason, s.state.rawValue, s.resultsPath,
                                 s.createdAt, s.updatedAt])
            for c in chunks {
                let k = c.chunk
                try db.execute(sql: """
                    INSERT INTO submission_chunks (submission_id, chunk_index, first_line, last_line, first_entry, end_entry,
                        byte_start, byte_end, request_count, upload_bytes, estimated_tokens, tokens_exact, embedding_inputs,
                        state, file_id, batch_id, requeue_count, held_since, last_error, updated_at)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """, arguments: [s.id, k.index, k.firstLine, k.lastLine, k.entries.lowerBound, k.entries.upperBound,
                                     k.byteRange.lowerBound, k.byteRange.upperBound, k.requestCount, k.uploadBytes,
                                     k.estimatedTokens.value, k.estimatedTokens.exact, k.embeddingInputs,
                                     c.state.rawValue, c.fileID, c.batchID, c.requeueCount, c.heldSince, c.lastError, s.createdAt])
            }
        }
    }

    /// One submission by id.
    public func submission(id: String) throws -> SubmissionRecord? {
        try read("reading submission \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.submissionColumns) FROM submissions s WHERE s.id = ?", arguments: [id])
                .map(Self.submission(from:))
        }
    }

    /// The newest unfinished submission of the same file (path, size, mtime) and workload, for automatic resume.
    public func openSubmission(sourcePath: String, workload: String, bytes: Int64, modifiedAtNanos: Int64) throws -> SubmissionRecord? {
        try read("looking for an unfinished submission of \(sourcePath)") { db in
            try Row.fetchOne(db, sql: """
                SELECT \(Self.submissionColumns) FROM submissions s
                WHERE s.source_path = ? AND s.workload = ? AND s.source_bytes = ? AND s.source_mtime_nanos = ? AND s.state = 'active'
                ORDER BY s.created_at DESC LIMIT 1
                """, arguments: [sourcePath, workload, bytes, modifiedAtNanos]).map(Self.submission(from:))
        }
    }

    /// Submissions newest first (all, or only those in `state`).
    public func submissions(state: SubmissionRecord.State? = nil) throws -> [SubmissionRecord] {
        try read("listing submissions") { db in
            let filter = state.map { _ in " WHERE s.state = ?" } ?? ""
            return try Row.fetchAll(db, sql: "SELECT \(Self.submissionColumns) FROM submissions s\(filter) ORDER BY s.created_at DESC, s.id",
                                    arguments: StatementArguments(state.map { [$0.rawValue] } ?? [])).map(Self.submission(from:))
        }
    }

    /// Sets a submission's state.
    public func setSubmissionState(id: String, _ state: SubmissionRecord.State, at: Int64) throws {
        try write("updating submission \(id)") { db in
            try db.execute(sql: "UPDATE submissions SET state = ?, updated_at = ? WHERE id = ?", arguments: [state.rawValue, at, id])
        }
    }

    /// The chunks of one submission, in order.
    public func chunks(submissionID: String) throws -> [ChunkRecord] {
        try read("reading the chunks of \(submissionID)") { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.chunkColumns) FROM submission_chunks c WHERE c.submission_id = ? ORDER BY c.chunk_index",
                             arguments: [submissionID]).map { Self.chunk(from: $0) }
        }
    }

    /// Chunks of active submissions in the given states, FIFO (held since, then submission, then index).
    public func queuedChunks(states: [ChunkState]) throws -> [QueuedChunk] {
        guard !states.isEmpty else { return [] }
        return try read("reading the local queue") { db in
            let marks = Array(repeating: "?", count: states.count).joined(separator: ",")
            return try Row.fetchAll(db, sql: """
                SELECT \(Self.submissionColumns), \(Self.chunkColumns) FROM submission_chunks c
                JOIN submissions s ON s.id = c.submission_id
                WHERE s.state = 'active' AND c.state IN (\(marks))
                ORDER BY c.held_since, s.created_at, s.id, c.chunk_index
                """, arguments: StatementArguments(states.map(\.rawValue))).map { row in
                QueuedChunk(submission: Self.submission(from: row), record: Self.chunk(from: row, offset: 14))
            }
        }
    }

    /// Writes a chunk's progress (state, ids, re-queues, queue time, error).
    public func updateChunk(_ c: ChunkRecord, at: Int64) throws {
        try write("updating chunk \(c.id)") { db in
            try db.execute(sql: """
                UPDATE submission_chunks SET state = ?, file_id = ?, batch_id = ?, requeue_count = ?, held_since = ?,
                    last_error = ?, updated_at = ?
                WHERE submission_id = ? AND chunk_index = ?
                """, arguments: [c.state.rawValue, c.fileID, c.batchID, c.requeueCount, c.heldSince, c.lastError, at,
                                 c.submissionID, c.chunk.index])
        }
    }

    /// batchtop's token estimates of the batches it created for chunks, by batch id.
    public func chunkTokenEstimates() throws -> [String: JobTokenEstimate] {
        try read("reading chunk estimates") { db in
            var out: [String: JobTokenEstimate] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT c.batch_id, s.model, c.estimated_tokens, c.tokens_exact, c.request_count FROM submission_chunks c
                JOIN submissions s ON s.id = c.submission_id WHERE c.batch_id IS NOT NULL
                """) {
                out[row[0]] = JobTokenEstimate(model: row[1], tokens: TokenCount(value: row[2], exact: row[3]), requests: row[4])
            }
            return out
        }
    }

    static func submission(from row: Row) -> SubmissionRecord {
        SubmissionRecord(
            id: row[0], workload: row[1], lane: Lane(rawValue: row[2]) ?? .batch, endpoint: row[3], model: row[4],
            sourcePath: row[5], sourceBytes: row[6], sourceModifiedAtNanos: row[7], deadline: row[8], routeReason: row[9],
            state: SubmissionRecord.State(rawValue: row[10]) ?? .failed, resultsPath: row[11], createdAt: row[12],
            updatedAt: row[13])
    }

    static func chunk(from row: Row, offset o: Int = 0) -> ChunkRecord {
        let chunk = Chunk(
            index: row[o + 1], firstLine: row[o + 2], lastLine: row[o + 3], entries: (row[o + 4] as Int)..<(row[o + 5] as Int),
            byteRange: (row[o + 6] as Int64)..<(row[o + 7] as Int64), requestCount: row[o + 8], uploadBytes: row[o + 9],
            estimatedTokens: TokenCount(value: row[o + 10], exact: row[o + 11]), embeddingInputs: row[o + 12])
        return ChunkRecord(
            submissionID: row[o], chunk: chunk, state: ChunkState(rawValue: row[o + 13]) ?? .failed, fileID: row[o + 14],
            batchID: row[o + 15], requeueCount: row[o + 16], heldSince: row[o + 17], lastError: row[o + 18])
    }
}
