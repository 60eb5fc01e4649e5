import Foundation
import GRDB

/// The job queries the dashboard and the headless commands read.
extension BatchStore {
    static let jobColumns = """
        id, status, endpoint, model, input_file_id, completion_window, output_file_id, error_file_id, created_at,
        in_progress_at, expires_at, finalizing_at, completed_at, failed_at, expired_at, cancelling_at, cancelled_at,
        total_requests, completed_requests, failed_requests, input_tokens, cached_input_tokens, output_tokens,
        reasoning_tokens, errors_json, metadata_json, workload, lane, parent_job_id, local_id, first_seen_at,
        last_polled_at, cancel_requested_at, missing_since
        """

    /// Jobs matching `filter`, newest first.
    public func jobs(_ filter: JobFilter = JobFilter()) throws -> [Job] {
        let (whereSQL, args) = Self.arguments(filter)
        return try read("listing jobs") { db in
            // A cursor, why: fetchAll held every row's 33 values next to the decoded jobs.
            var jobs: [Job] = []
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(Self.jobColumns) FROM jobs\(whereSQL) ORDER BY created_at DESC, id DESC\(Self.limit(filter))",
                arguments: args)
            while let row = try rows.next() { jobs.append(try Self.job(from: row)) }
            return jobs
        }
    }

    /// Jobs not yet terminal (unknown statuses included), newest first.
    public func nonTerminalJobs() throws -> [Job] { try jobs(JobFilter(activeOnly: true)) }

    /// Table rows for jobs matching `filter`, newest first, without decoding metadata or errors.
    public func jobSummaries(_ filter: JobFilter = JobFilter()) throws -> [JobSummary] {
        let (whereSQL, args) = Self.arguments(filter)
        return try read("listing jobs") { db in
            try Self.summaries(db, sql: "SELECT \(Self.summaryColumns) FROM jobs\(whereSQL) ORDER BY created_at DESC, id DESC\(Self.limit(filter))",
                               arguments: args)
        }
    }

    /// Every job whose row changed after `revision` (all jobs for 0), in revision order, with the
    /// revision to ask from next time; one read transaction, so nothing slips between the two.
    public func jobChanges(after revision: Int64) throws -> JobChanges {
        let (jobs, latest) = try jobChanges(after: revision) { $0 }
        return JobChanges(jobs: jobs, revision: latest)
    }

    /// `jobChanges(after:)` with each row turned into `T` as it is read, why: a 100,000-job list
    /// then never exists twice in memory (once as summaries, once as the caller's rows).
    public func jobChanges<T>(after revision: Int64, _ transform: (JobSummary) throws -> T) throws -> ([T], Int64) {
        try read("reading changed jobs") { db in
            let latest = try Int64.fetchOne(db, sql: "SELECT MAX(revision) FROM jobs") ?? 0
            guard latest > revision else { return ([], max(latest, revision)) }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE revision > ?", arguments: [revision]) ?? 0
            var out: [T] = []
            out.reserveCapacity(count)
            try Self.forEachSummary(
                db, sql: "SELECT \(Self.summaryColumns) FROM jobs WHERE revision > ? ORDER BY revision", arguments: [revision]
            ) { out.append(try transform($0)) }
            return (out, latest)
        }
    }

    /// The ids of the jobs resubmitted from `jobID`, oldest first.
    public func childJobIDs(of jobID: String) throws -> [String] {
        try read("reading resubmits of \(jobID)") { db in
            try String.fetchAll(db, sql: "SELECT id FROM jobs WHERE parent_job_id = ? ORDER BY created_at, id", arguments: [jobID])
        }
    }

    static let summaryColumns = """
        id, status, workload, lane, model, endpoint, total_requests, completed_requests, failed_requests,
        created_at, in_progress_at, expires_at, cancel_requested_at, parent_job_id,
        input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, revision
        """

    /// Reads summary rows through the SQLite C API, sharing one String per distinct workload, lane,
    /// model and endpoint, why: GRDB's generic row decoding cost most of a 100,000-job read, and
    /// 100,000 copies of the same few names cost megabytes the dashboard holds for its whole life.
    static func summaries(_ db: Database, sql: String, arguments: StatementArguments) throws -> [JobSummary] {
        var out: [JobSummary] = []
        try forEachSummary(db, sql: sql, arguments: arguments) { out.append($0) }
        return out
    }

    static func forEachSummary(
        _ db: Database, sql: String, arguments: StatementArguments, _ body: (JobSummary) throws -> Void
    ) throws {
        // Missing jobs are few and not in the covering index: one read of a partial index, a lookup per row
        // only when there are any.
        let missing = try Self.missingSince(db)
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        var names = StringInterner()
        let row = SQLiteRow(statement, keepBindings: true)
        while try row.step() {
            var usage: TokenUsage?
            if let input = row.int64OrNil(14) {
                usage = TokenUsage(inputTokens: input, cachedInputTokens: row.int64OrNil(15) ?? 0,
                                   outputTokens: row.int64OrNil(16) ?? 0, reasoningTokens: row.int64OrNil(17) ?? 0)
            }
            let id = row.text(0) ?? ""
            try body(JobSummary(
                id: id, status: BatchStatus(names.text(row, 1) ?? ""), workload: names.text(row, 2),
                lane: names.text(row, 3) ?? Lane.batch.rawValue, model: names.text(row, 4), endpoint: names.text(row, 5) ?? "",
                requestCounts: RequestCounts(total: row.int(6), completed: row.int(7), failed: row.int(8)),
                createdAt: row.int64(9), inProgressAt: row.int64OrNil(10), expiresAt: row.int64OrNil(11),
                cancelRequestedAt: row.int64OrNil(12), parentJobID: row.text(13), usage: usage, revision: row.int64(18),
                missingSince: missing.isEmpty ? nil : missing[id]))
        }
    }

    /// One job by provider id or batchtop local id, with its transitions and file records.
    public func jobDetail(id: String) throws -> JobRecord? {
        try read("reading job \(id)") { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE id = ? OR local_id = ? ORDER BY id = ? DESC LIMIT 1",
                arguments: [id, id, id]) else { return nil }
            let job = try Self.job(from: row)
            let transitions = try Row.fetchAll(
                db, sql: "SELECT from_status, to_status, at, at_source, observed_at FROM job_transitions WHERE job_id = ? ORDER BY id",
                arguments: [job.id]).map {
                JobTransition(from: ($0[0] as String?).map(BatchStatus.init(rawValue:)), to: BatchStatus($0[1] as String),
                              at: $0[2], atIsProviderTime: ($0[3] as String) == "provider", observedAt: $0[4])
            }
            let files = try Row.fetchAll(db, sql: """
                SELECT job_id, kind, file_id, local_path, bytes, sha256, downloaded_at, status, attempts, last_error, next_attempt_at
                FROM job_files WHERE job_id = ? ORDER BY kind
                """, arguments: [job.id]).map {
                JobFileRecord(jobID: $0[0], kind: JobFileRecord.Kind(rawValue: $0[1]) ?? .output, fileID: $0[2],
                              localPath: $0[3], bytes: $0[4], sha256: $0[5], downloadedAt: $0[6],
                              status: JobFileRecord.Status(rawValue: $0[7]) ?? .failed, attempts: $0[8], lastError: $0[9],
                              nextAttemptAt: $0[10])
            }
            return JobRecord(job: job, transitions: transitions, files: files)
        }
    }

    /// How many jobs are in each status (only statuses present appear).
    public func statusCounts() throws -> [BatchStatus: Int] {
        try read("counting jobs") { db in
            var counts: [BatchStatus: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM jobs GROUP BY status") {
                counts[BatchStatus(row[0] as String)] = row[1]
            }
            return counts
        }
    }

    /// The number of jobs held.
    public func jobCount() throws -> Int {
        try read("counting jobs") { try Int.fetchOne($0, sql: "SELECT count(*) FROM jobs") ?? 0 }
    }

    /// Streams `{"schema":"batchtop.jobs/v1","jobs":[...]}` for `filter` to `sink` in chunks.
    ///
    /// Rule: each job object is assembled by SQLite around the stored raw batch JSON, why: decoding and
    /// re-encoding 100,000 jobs in Swift costs seconds; splicing costs milliseconds. The raw JSON is
    /// written only by `BatchJSONWriter`, so it is always a valid object.
    public func writeJobsJSON(_ filter: JobFilter = JobFilter(), chunkSize: Int = 1 << 18, to sink: (Data) throws -> Void) throws {
        let (whereSQL, args) = Self.arguments(filter)
        // Column 0: the small batchtop part, assembled by SQLite; column 1: the raw batch, spliced as is.
        let sql = """
            SELECT '{"id":' || json_quote(id) || ',"status":' || json_quote(status) || ',"workload":' || json_quote(workload)
                || ',"lane":' || json_quote(lane) || ',"parent_job_id":' || json_quote(parent_job_id)
                || ',"local_id":' || json_quote(local_id) || ',"first_seen_at":' || first_seen_at
                || ',"last_polled_at":' || last_polled_at || ',"cancel_requested_at":' || COALESCE(cancel_requested_at, 'null')
                || ',"missing_since":' || COALESCE(missing_since, 'null')
                || ',"batch":',
                raw_json
            FROM jobs\(whereSQL) ORDER BY created_at DESC, id DESC\(Self.limit(filter))
            """
        try read("exporting jobs") { db in
            var buffer = Data()
            buffer.reserveCapacity(chunkSize + 4096)
            buffer.append(contentsOf: #"{"schema":"batchtop.jobs/v1","jobs":["#.utf8)
            var first = true
            let statement = try db.makeStatement(sql: sql)
            statement.setUncheckedArguments(args)
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                buffer.append(contentsOf: first ? [0x0A] : [0x2C, 0x0A])
                first = false
                // Read the column bytes in place: no String per row.
                try row.withUnsafeData(atIndex: 0) { data in if let data { buffer.append(data) } }
                try row.withUnsafeData(atIndex: 1) { data in if let data { buffer.append(data) } }
                buffer.append(0x7D)
                if buffer.count >= chunkSize {
                    try sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            buffer.append(contentsOf: "\n]}\n".utf8)
            try sink(buffer)
        }
    }

    // MARK: Row mapping

    static func arguments(_ filter: JobFilter) -> (String, StatementArguments) { filter.sqlWhere() }

    static func limit(_ filter: JobFilter) -> String {
        guard let limit = filter.limit else { return "" }
        return " LIMIT \(max(0, limit))"
    }

    static func job(from row: Row) throws -> Job {
        let metadataJSON: String = row[25]
        let metadata: [String: String] = metadataJSON == "{}" ? [:]
            : FlatJSONObject.parse(metadataJSON)
                ?? ((try? JSONDecoder().decode([String: String].self, from: Data(metadataJSON.utf8))) ?? [:])
        let errors: [BatchErrorItem] = (row[24] as String?).flatMap {
            try? JSONDecoder().decode([BatchErrorItem].self, from: Data($0.utf8))
        } ?? []
        var usage: TokenUsage?
        if let input = row[20] as Int64? {
            usage = TokenUsage(inputTokens: input, cachedInputTokens: row[21] ?? 0, outputTokens: row[22] ?? 0, reasoningTokens: row[23] ?? 0)
        }
        let batch = Batch(
            id: row[0], endpoint: row[2], model: row[3], errors: errors, inputFileID: row[4], completionWindow: row[5],
            status: BatchStatus(row[1] as String), outputFileID: row[6], errorFileID: row[7], createdAt: row[8],
            inProgressAt: row[9], expiresAt: row[10], finalizingAt: row[11], completedAt: row[12], failedAt: row[13],
            expiredAt: row[14], cancellingAt: row[15], cancelledAt: row[16],
            requestCounts: RequestCounts(total: row[17], completed: row[18], failed: row[19]), usage: usage, metadata: metadata)
        let lane = Lane(rawValue: row[27] as String) ?? .batch
        return Job(batch: batch, workload: row[26], lane: lane, parentJobID: row[28], localID: row[29],
                   firstSeenAt: row[30], lastPolledAt: row[31], cancelRequestedAt: row[32], missingSince: row[33])
    }
}
