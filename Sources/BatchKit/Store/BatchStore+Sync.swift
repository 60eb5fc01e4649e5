import Foundation
import GRDB

/// The writes and reads the sync worker needs: lease, cycle write, sync state, file records.
extension BatchStore {
    // MARK: Lease

    /// Takes, renews or takes over the poller lease, unless another holder's lease is live.
    ///
    /// `now` is this process's wall time (stored for people to read); `monotonic` is a reading of this
    /// claimant's monotonic clock, which alone decides when a silent holder's lease has lapsed (see
    /// `LeaseRecord`): the first time a claimant's domain sees a holder's heartbeat value it notes the
    /// reading, and once `ttlSeconds` have passed on that clock with no new heartbeat, it takes over.
    public func claimLease(_ claimant: LeaseClaimant, now: Int64, ttl: Int64, monotonic: Double) throws -> LeaseOutcome {
        try write("claiming the sync lease") { db in try Self.claimLease(db, claimant, now: now, ttl: ttl, monotonic: monotonic) }
    }

    /// Renews the lease this claimant holds (or takes a free one); never takes over another holder's,
    /// why: a poller in the middle of a cycle that finds someone else holding the lease was taken over
    /// (it was silent too long), and the newcomer's data wins.
    public func renewLease(_ claimant: LeaseClaimant, now: Int64, ttl: Int64) throws -> LeaseOutcome {
        try write("renewing the sync lease") { db in try Self.claimLease(db, claimant, now: now, ttl: ttl, monotonic: nil) }
    }

    /// Gives the lease up (on orderly shutdown) so another dashboard can take over at once.
    public func releaseLease(_ claimant: LeaseClaimant) throws {
        try write("releasing the sync lease") { db in
            try db.execute(sql: "DELETE FROM lease WHERE id = 1 AND holder_id = ?", arguments: [claimant.holderID])
        }
    }

    /// The current lease row, live or not.
    public func currentLease() throws -> LeaseRecord? {
        try read("reading the sync lease") { try Self.lease($0) }
    }

    static func lease(_ db: Database) throws -> LeaseRecord? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT holder_id, pid, host, acquired_at, expires_at, heartbeat, ttl_seconds, boot_id, pid_namespace, pid_start
            FROM lease WHERE id = 1
            """) else { return nil }
        var process: ProcessIdentity?
        if let boot: String = row[7], let namespace: String = row[8], let start: Int64 = row[9] {
            process = ProcessIdentity(bootID: boot, pidNamespace: namespace, startTicks: start)
        }
        return LeaseRecord(holderID: row[0], pid: row[1], host: row[2], acquiredAt: row[3], expiresAt: row[4],
                           heartbeat: row[5], ttlSeconds: row[6], process: process)
    }

    /// The claim rule, inside the caller's transaction; `monotonic` nil renews only (never takes over).
    static func claimLease(_ db: Database, _ c: LeaseClaimant, now: Int64, ttl: Int64, monotonic: Double?) throws -> LeaseOutcome {
        let current = try lease(db)
        if let current, current.holderID != c.holderID {
            guard let monotonic else { return .heldByOther(current) }
            if !current.holderIsGone(from: c), try !heartbeatStopped(db, current, observer: c.monotonicDomain, at: monotonic) {
                return .heldByOther(current)
            }
            // Taken over: what anyone noted about the previous holder's heartbeat no longer applies.
            try db.execute(sql: "DELETE FROM lease_watch")
        }
        let mine = current?.holderID == c.holderID
        let record = LeaseRecord(
            holderID: c.holderID, pid: c.pid, host: c.host, acquiredAt: mine ? current!.acquiredAt : now,
            expiresAt: now + max(1, ttl), heartbeat: (current?.heartbeat ?? 0) + 1, ttlSeconds: max(1, ttl), process: c.process)
        try db.execute(
            sql: """
            INSERT OR REPLACE INTO lease (id, holder_id, pid, host, acquired_at, expires_at, heartbeat, ttl_seconds,
                boot_id, pid_namespace, pid_start) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            arguments: [record.holderID, record.pid, record.host, record.acquiredAt, record.expiresAt, record.heartbeat,
                        record.ttlSeconds, c.process?.bootID, c.process?.pidNamespace, c.process?.startTicks])
        return .held(record)
    }

    /// Whether `lease`'s heartbeat has stood still for its TTL on the observer's monotonic clock; notes
    /// the first reading at which the observer's domain saw this heartbeat.
    private static func heartbeatStopped(_ db: Database, _ lease: LeaseRecord, observer: String, at monotonic: Double) throws -> Bool {
        if let row = try Row.fetchOne(db, sql: "SELECT holder_id, heartbeat, seen_at FROM lease_watch WHERE observer = ?", arguments: [observer]),
           (row[0] as String) == lease.holderID, (row[1] as Int64) == lease.heartbeat {
            let seenAt: Double = row[2]
            // A reading before the noted one means the domain's clock is not the one that noted it: start over.
            if monotonic >= seenAt { return monotonic - seenAt >= Double(lease.ttlSeconds) }
        }
        try db.execute(
            sql: "INSERT OR REPLACE INTO lease_watch (observer, holder_id, heartbeat, seen_at) VALUES (?, ?, ?, ?)",
            arguments: [observer, lease.holderID, lease.heartbeat, monotonic])
        return false
    }

    // MARK: Cycle reads

    /// Which of `ids` the store holds in a terminal state.
    public func terminalJobIDs(among ids: [String]) throws -> Set<String> {
        if ids.isEmpty { return [] }
        return try read("looking up known jobs") { db in
            var found = Set<String>()
            // Chunked, why: SQLite caps bound parameters (32766 in 3.32+, 999 before).
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let sql = "SELECT id FROM jobs WHERE is_terminal = 1 AND id IN (" + Array(repeating: "?", count: chunk.count).joined(separator: ",") + ")"
                found.formUnion(try String.fetchAll(db, sql: sql, arguments: StatementArguments(chunk)))
            }
            return found
        }
    }

    /// Ids of every job not yet terminal (including unknown statuses), oldest first, leaving out jobs
    /// counted as missing (`MissingPolicy`) unless their last check was at or before `recheckMissingBefore`.
    public func nonTerminalJobIDs(recheckMissingBefore: Int64? = nil) throws -> [String] {
        try read("listing active jobs") {
            try String.fetchAll($0, sql: """
                SELECT id FROM jobs WHERE is_terminal = 0
                  AND (missing_since IS NULL OR COALESCE(not_found_checked_at, 0) <= ?) ORDER BY created_at
                """, arguments: [recheckMissingBefore ?? Int64.min])
        }
    }

    /// Missing jobs (`missing_since`) by id; read from a partial index, so it costs nothing when none is.
    static func missingSince(_ db: Database) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, missing_since FROM jobs WHERE missing_since IS NOT NULL") {
            out[row[0]] = row[1]
        }
        return out
    }

    /// How many stored jobs a newest-first listing passes before reaching the oldest of `ids`
    /// (inclusive); nil when none of them is stored.
    public func listingDepth(of ids: [String]) throws -> Int? {
        if ids.isEmpty { return nil }
        return try read("measuring listing depth") { db in
            var oldest: (Int64, String)?
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let sql = "SELECT created_at, id FROM jobs WHERE id IN (" + Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    + ") ORDER BY created_at, id LIMIT 1"
                if let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(chunk)) {
                    let candidate: (Int64, String) = (row[0], row[1])
                    if oldest == nil || candidate < oldest! { oldest = candidate }
                }
            }
            guard let oldest else { return nil }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE (created_at, id) >= (?, ?)", arguments: [oldest.0, oldest.1])
        }
    }

    // MARK: Cycle write

    /// Writes one cycle's observations in ONE transaction and reports what changed.
    ///
    /// When `claimant` is given the lease is checked and renewed inside the same transaction; if another
    /// poller holds it, nothing is written and `StoreError.leaseLost` is thrown. `fullListing` records
    /// that the listing reached the oldest batch, which lets later cycles stop at known terminal jobs.
    /// `notFound` are ids the provider answered 404 for this cycle: each extends the job's 404 streak,
    /// and a streak `missingPolicy` accepts makes the job missing since the streak began (reported in
    /// `CycleChanges.missing`); a missing job is then fetched only every `MissingPolicy.recheckSeconds`.
    @discardableResult
    public func applyCycle(
        _ batches: [Batch], observedAt: Int64, fullListing: Bool = false, apiCalls: Int = 0,
        claimant: LeaseClaimant? = nil, leaseTTL: Int64 = 180, notFound: [String] = [],
        missingPolicy: MissingPolicy = MissingPolicy()
    ) throws -> CycleChanges {
        try write("writing a sync cycle") { db in
            if let claimant, case let .heldByOther(other) = try Self.claimLease(db, claimant, now: observedAt, ttl: leaseTTL, monotonic: nil) {
                throw StoreError.leaseLost(holder: other.label, expiresAt: other.expiresAt)
            }
            var changes = try Self.upsert(db, batches, observedAt: observedAt)
            changes.missing = try Self.recordNotFound(db, notFound, at: observedAt, policy: missingPolicy)
            try db.execute(
                sql: """
                UPDATE sync_state SET last_success_at = ?, consecutive_failures = 0, last_cycle_api_calls = ?,
                    full_listing_at = CASE WHEN ? THEN ? ELSE full_listing_at END WHERE id = 1
                """,
                arguments: [observedAt, apiCalls, fullListing, observedAt])
            changes.activeJobCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM jobs WHERE is_terminal = 0") ?? 0
            return changes
        }
    }

    /// Writes the batches of a listing still in progress (a bounded group of pages) in one transaction,
    /// checking and renewing the lease as `applyCycle` does, but leaving the sync state alone, why: a
    /// long listing keeps what it read if it is cut short, yet the cycle has neither succeeded nor
    /// reached the oldest batch (`full_listing_at` is set only by `applyCycle`).
    @discardableResult
    public func applyListingProgress(
        _ batches: [Batch], observedAt: Int64, claimant: LeaseClaimant? = nil, leaseTTL: Int64 = 180
    ) throws -> CycleChanges {
        try write("writing part of a long batch listing") { db in
            if let claimant, case let .heldByOther(other) = try Self.claimLease(db, claimant, now: observedAt, ttl: leaseTTL, monotonic: nil) {
                throw StoreError.leaseLost(holder: other.label, expiresAt: other.expiresAt)
            }
            return try Self.upsert(db, batches, observedAt: observedAt)
        }
    }

    /// Extends the 404 streak of each id; returns the jobs that became missing now, with since when.
    static func recordNotFound(_ db: Database, _ ids: [String], at now: Int64, policy: MissingPolicy) throws -> [CycleChanges.Missing] {
        guard !ids.isEmpty else { return [] }
        // Prepared once for all, why: preparing one per id held 30 MB at once when 10,000 jobs went
        // missing in a single cycle.
        let streak = try db.cachedStatement(sql: """
            UPDATE jobs SET not_found_count = not_found_count + 1, not_found_since = COALESCE(not_found_since, ?),
                not_found_checked_at = ?
            WHERE id = ?
            """)
        let read = try db.cachedStatement(sql: "SELECT not_found_count, not_found_since, missing_since FROM jobs WHERE id = ?")
        let mark = try db.cachedStatement(sql: "UPDATE jobs SET missing_since = ? WHERE id = ?")
        var missing: [CycleChanges.Missing] = []
        for id in ids {
            try streak.execute(arguments: [now, now, id])
            guard let row = try Row.fetchOne(read, arguments: [id]), (row[2] as Int64?) == nil else { continue }
            let count: Int = row[0]
            let since: Int64 = row[1] ?? now
            guard policy.isMissing(consecutiveNotFound: count, since: since, now: now) else { continue }
            try mark.execute(arguments: [since, id])
            missing.append(CycleChanges.Missing(jobID: id, since: since))
        }
        return missing
    }

    static func upsert(_ db: Database, _ batches: [Batch], observedAt: Int64) throws -> CycleChanges {
        var changes = CycleChanges()
        // The last observation of an id wins (a GET after the list is newer).
        var latest: [String: Int] = [:]
        latest.reserveCapacity(batches.count)
        for (i, b) in batches.enumerated() { latest[b.id] = i }

        let select = try db.cachedStatement(sql: """
            SELECT status, total_requests, completed_requests, failed_requests, raw_json, not_found_count, missing_since
            FROM jobs WHERE id = ?
            """)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO jobs (id, status, is_terminal, endpoint, model, input_file_id, completion_window, output_file_id,
                error_file_id, created_at, in_progress_at, expires_at, finalizing_at, completed_at, failed_at, expired_at,
                cancelling_at, cancelled_at, total_requests, completed_requests, failed_requests, input_tokens,
                cached_input_tokens, output_tokens, reasoning_tokens, errors_json, metadata_json, raw_json,
                workload, lane, parent_job_id, local_id, first_seen_at, last_polled_at)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """)
        let update = try db.cachedStatement(sql: """
            UPDATE jobs SET status = ?, is_terminal = ?, endpoint = ?, model = ?, input_file_id = ?, completion_window = ?,
                output_file_id = ?, error_file_id = ?, created_at = ?, in_progress_at = ?, expires_at = ?, finalizing_at = ?,
                completed_at = ?, failed_at = ?, expired_at = ?, cancelling_at = ?, cancelled_at = ?, total_requests = ?,
                completed_requests = ?, failed_requests = ?, input_tokens = ?, cached_input_tokens = ?, output_tokens = ?,
                reasoning_tokens = ?, errors_json = ?, metadata_json = ?, raw_json = ?,
                workload = COALESCE(?, workload), parent_job_id = COALESCE(?, parent_job_id), local_id = COALESCE(?, local_id),
                last_polled_at = ?
            WHERE id = ?
            """)
        let touch = try db.cachedStatement(sql: "UPDATE jobs SET last_polled_at = ? WHERE id = ?")
        // Run only for a job with a 404 streak, why: the provider showed it, so it is not missing, and
        // the common case (no streak) writes nothing more.
        let found = try db.cachedStatement(sql: """
            UPDATE jobs SET missing_since = NULL, not_found_count = 0, not_found_since = NULL, not_found_checked_at = NULL
            WHERE id = ?
            """)
        let transition = try db.cachedStatement(sql: """
            INSERT INTO job_transitions (job_id, from_status, to_status, at, at_source, observed_at) VALUES (?,?,?,?,?,?)
            """)

        for (i, b) in batches.enumerated() where latest[b.id] == i {
            let metadataJSON = BatchJSONWriter.encodeMetadata(b.metadata)
            let raw = BatchJSONWriter.encode(b, metadataJSON: metadataJSON)
            let job = Job(batch: b, lane: b.metadata[MetadataKey.lane].flatMap(Lane.init(rawValue:)) ?? .batch,
                          firstSeenAt: observedAt, lastPolledAt: observedAt)
            var find = SQLiteRow(select)
            find.bind(b.id)
            if try find.step() {
                if find.int(5) > 0 || find.int64OrNil(6) != nil {
                    var f = SQLiteRow(found)
                    f.bind(b.id)
                    try f.run()
                }
                if find.textEquals(4, raw) {
                    var t = SQLiteRow(touch)
                    t.bind(observedAt); t.bind(b.id)
                    try t.run()
                    changes.unchangedCount += 1
                    continue
                }
                let oldStatus = BatchStatus(find.text(0) ?? "")
                let oldCounts = RequestCounts(total: find.int(1), completed: find.int(2), failed: find.int(3))
                var u = SQLiteRow(update)
                bindProviderColumns(&u, b, raw: raw, metadataJSON: metadataJSON)
                u.bind(job.workload); u.bind(job.parentJobID); u.bind(job.localID); u.bind(observedAt); u.bind(b.id)
                try u.run()
                if oldStatus != b.status {
                    changes.statusChanges.append(.init(jobID: b.id, from: oldStatus, to: b.status))
                    try recordTransition(transition, b, from: oldStatus, observedAt: observedAt)
                }
                if oldCounts != b.requestCounts {
                    changes.progressChanges.append(.init(jobID: b.id, from: oldCounts, to: b.requestCounts))
                }
            } else {
                var n = SQLiteRow(insert)
                n.bind(b.id)
                bindProviderColumns(&n, b, raw: raw, metadataJSON: metadataJSON)
                n.bind(job.workload); n.bind(job.lane.rawValue); n.bind(job.parentJobID); n.bind(job.localID)
                n.bind(observedAt); n.bind(observedAt)
                try n.run()
                try recordTransition(transition, b, from: nil, observedAt: observedAt)
                changes.newJobs.append(job)
            }
        }
        return changes
    }

    private static func recordTransition(_ statement: Statement, _ b: Batch, from: BatchStatus?, observedAt: Int64) throws {
        let providerAt = b.providerTime(of: b.status)
        var r = SQLiteRow(statement)
        r.bind(b.id); r.bind(from?.rawValue); r.bind(b.status.rawValue); r.bind(providerAt ?? observedAt)
        r.bind(providerAt == nil ? "observed" : "provider"); r.bind(observedAt)
        try r.run()
    }

    /// Binds the provider-derived columns, status through raw_json, in table order.
    private static func bindProviderColumns(_ r: inout SQLiteRow, _ b: Batch, raw: String, metadataJSON: String) {
        let u = b.usage
        r.bind(b.status.rawValue); r.bind(b.status.isTerminal); r.bind(b.endpoint); r.bind(b.model)
        r.bind(b.inputFileID); r.bind(b.completionWindow); r.bind(b.outputFileID); r.bind(b.errorFileID)
        r.bind(b.createdAt); r.bind(b.inProgressAt); r.bind(b.expiresAt); r.bind(b.finalizingAt)
        r.bind(b.completedAt); r.bind(b.failedAt); r.bind(b.expiredAt); r.bind(b.cancellingAt); r.bind(b.cancelledAt)
        r.bind(b.requestCounts.total); r.bind(b.requestCounts.completed); r.bind(b.requestCounts.failed)
        r.bind(u?.inputTokens); r.bind(u?.cachedInputTokens); r.bind(u?.outputTokens); r.bind(u?.reasoningTokens)
        r.bind(BatchJSONWriter.encodeErrors(b.errors)); r.bind(metadataJSON); r.bind(raw)
    }

    // MARK: Sync state

    /// Records a failed cycle; returns the number of consecutive failures including this one.
    @discardableResult
    public func recordFailure(_ text: String, at: Int64) throws -> Int {
        try write("recording a sync failure") { db in
            try db.execute(
                sql: "UPDATE sync_state SET last_error_text = ?, last_error_at = ?, consecutive_failures = consecutive_failures + 1 WHERE id = 1",
                arguments: [String(text.prefix(500)), at])
            return try Int.fetchOne(db, sql: "SELECT consecutive_failures FROM sync_state WHERE id = 1") ?? 1
        }
    }

    /// Records what the running cycle is doing (`SyncActivity`); the header shows it until the cycle ends.
    public func recordActivity(_ activity: SyncActivity) throws {
        try write("recording what the sync is doing") { db in
            try db.execute(sql: "UPDATE sync_state SET activity_text = ?, activity_at = ?, activity_until = ? WHERE id = 1",
                           arguments: [String(activity.text.prefix(500)), activity.at, activity.until])
        }
    }

    /// Records when the poller will try next and at what interval, and (for a failed cycle) the failure
    /// with the worker's own count of failures in a row. When `claimant` holds the lease it is renewed
    /// for `leaseTTL` seconds from `now` (shorter when polling fast, so a silent poller is replaced sooner).
    public func recordSchedule(
        nextAttemptAt: Int64, intervalSeconds: Double, claimant: LeaseClaimant? = nil, leaseTTL: Int64? = nil,
        now: Int64? = nil, failure: SyncFailure? = nil
    ) throws {
        try write("recording the sync schedule") { db in
            try db.execute(sql: "UPDATE sync_state SET next_attempt_at = ?, interval_seconds = ? WHERE id = 1",
                           arguments: [nextAttemptAt, intervalSeconds])
            if let failure {
                try db.execute(
                    sql: "UPDATE sync_state SET last_error_text = ?, last_error_at = ?, consecutive_failures = ? WHERE id = 1",
                    arguments: [String(failure.message.prefix(500)), failure.at, failure.consecutiveFailures])
            }
            if let claimant, let leaseTTL, let now {
                let ttl = max(1, leaseTTL)
                try db.execute(
                    sql: "UPDATE lease SET expires_at = ?, ttl_seconds = ?, heartbeat = heartbeat + 1 WHERE id = 1 AND holder_id = ?",
                    arguments: [now + ttl, ttl, claimant.holderID])
            }
        }
    }

    /// The sync state and lease, for the header line and `batchtop info`.
    public func freshness() throws -> SyncFreshness {
        try read("reading sync state") { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT last_success_at, last_error_text, last_error_at, next_attempt_at, consecutive_failures,
                       interval_seconds, full_listing_at, last_cycle_api_calls, activity_text, activity_at, activity_until
                FROM sync_state WHERE id = 1
                """)
            var f = SyncFreshness()
            if let row {
                f.lastSuccessAt = row[0]; f.lastErrorText = row[1]; f.lastErrorAt = row[2]; f.nextAttemptAt = row[3]
                f.consecutiveFailures = row[4]; f.intervalSeconds = row[5]; f.fullListingAt = row[6]; f.lastCycleAPICalls = row[7]
                if let text = row[8] as String?, let at = row[9] as Int64? {
                    f.activity = SyncActivity(text: text, at: at, until: row[10])
                }
            }
            f.lease = try Self.lease(db)
            return f
        }
    }

    // MARK: Files

    /// Terminal jobs' output/error files not downloaded yet: never tried, or failed and due again at `now`
    /// (`next_attempt_at`; NULL means given up), among jobs created at or after `createdSince`, newest first.
    public func pendingFileDownloads(createdSince: Int64, now: Int64, limit: Int) throws -> [JobFileRecord] {
        if limit <= 0 { return [] }
        return try read("listing files to download") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT j.id, k.kind, CASE k.kind WHEN 'output' THEN j.output_file_id ELSE j.error_file_id END AS file_id,
                       f.attempts, j.created_at
                FROM jobs j
                JOIN (SELECT 'output' AS kind UNION ALL SELECT 'error') k
                LEFT JOIN job_files f ON f.job_id = j.id AND f.kind = k.kind
                WHERE j.created_at >= ? AND j.is_terminal = 1
                  AND (CASE k.kind WHEN 'output' THEN j.output_file_id ELSE j.error_file_id END) IS NOT NULL
                  AND (f.job_id IS NULL OR (f.status != 'downloaded' AND f.next_attempt_at IS NOT NULL AND f.next_attempt_at <= ?))
                ORDER BY j.created_at DESC, j.id, k.kind DESC
                LIMIT ?
                """, arguments: [createdSince, now, limit])
            return rows.map {
                JobFileRecord(jobID: $0[0], kind: JobFileRecord.Kind(rawValue: $0[1]) ?? .output, fileID: $0[2],
                              status: .pending, attempts: ($0[3] as Int?) ?? 0)
            }
        }
    }

    /// Inserts or replaces a file record.
    public func recordFile(_ r: JobFileRecord) throws {
        try write("recording a downloaded file") { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO job_files (job_id, kind, file_id, local_path, bytes, sha256, downloaded_at, status, attempts,
                    last_error, next_attempt_at)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """, arguments: [r.jobID, r.kind.rawValue, r.fileID, r.localPath, r.bytes, r.sha256, r.downloadedAt,
                                 r.status.rawValue, r.attempts, r.lastError.map { String($0.prefix(500)) }, r.nextAttemptAt])
        }
    }
}
