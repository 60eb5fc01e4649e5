import GRDB

/// The versioned schema of the batchtop database.
///
/// Rule: migrations are append-only and each ends by raising `PRAGMA user_version` to its number,
/// why: an older batchtop reads `user_version` before touching anything and refuses a database from
/// the future instead of misreading it.
enum StoreSchema {
    /// The highest schema version this build knows.
    static let version = 9

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2-operations") { db in
            try db.execute(sql: v2)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        migrator.registerMigration("v3-spend") { db in
            try db.execute(sql: v3Spend)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        migrator.registerMigration("v4-lanes") { db in
            try db.execute(sql: v4Lanes)
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        migrator.registerMigration("v5-revisions") { db in
            try db.execute(sql: v5Revisions)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        migrator.registerMigration("v6-audit-anchor") { db in
            try db.execute(sql: v6AuditAnchor)
            try db.execute(sql: AuditProtection.headTable)
            // The rows already there are counted, so rows cut from the end later are noticed; they stay unsigned.
            try db.execute(sql: """
                INSERT INTO audit_head (id, row_count, last_id, head_hash)
                SELECT 1, COUNT(*), MAX(id), (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) FROM audit
                """)
            for (name, sql) in AuditProtection.triggers where name.hasPrefix("audit_head_") { try db.execute(sql: sql) }
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        migrator.registerMigration("v7-faults") { db in
            try db.execute(sql: v7Faults)
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        migrator.registerMigration("v8-decision-from-lane") { db in
            try db.execute(sql: v8DecisionFromLane)
            try db.execute(sql: "PRAGMA user_version = 8")
        }
        migrator.registerMigration("v9-lease-heartbeat") { db in
            try db.execute(sql: v9LeaseHeartbeat)
            try db.execute(sql: "PRAGMA user_version = 9")
        }
        return migrator
    }

    private static let v1 = """
    CREATE TABLE jobs (
        id                  TEXT PRIMARY KEY NOT NULL,
        status              TEXT NOT NULL,
        is_terminal         INTEGER NOT NULL,
        endpoint            TEXT NOT NULL,
        model               TEXT,
        input_file_id       TEXT NOT NULL,
        completion_window   TEXT NOT NULL,
        output_file_id      TEXT,
        error_file_id       TEXT,
        created_at          INTEGER NOT NULL,
        in_progress_at      INTEGER,
        expires_at          INTEGER,
        finalizing_at       INTEGER,
        completed_at        INTEGER,
        failed_at           INTEGER,
        expired_at          INTEGER,
        cancelling_at       INTEGER,
        cancelled_at        INTEGER,
        total_requests      INTEGER NOT NULL,
        completed_requests  INTEGER NOT NULL,
        failed_requests     INTEGER NOT NULL,
        input_tokens        INTEGER,
        cached_input_tokens INTEGER,
        output_tokens       INTEGER,
        reasoning_tokens    INTEGER,
        errors_json         TEXT,
        metadata_json       TEXT NOT NULL,
        raw_json            TEXT NOT NULL,
        workload            TEXT,
        lane                TEXT NOT NULL,
        parent_job_id       TEXT,
        local_id            TEXT,
        first_seen_at       INTEGER NOT NULL,
        last_polled_at      INTEGER NOT NULL,
        cancel_requested_at INTEGER,
        missing_since       INTEGER
    );
    CREATE INDEX jobs_by_created ON jobs(created_at DESC, id DESC);
    CREATE INDEX jobs_by_status ON jobs(status, created_at DESC);
    CREATE INDEX jobs_by_workload ON jobs(workload, created_at DESC);
    CREATE INDEX jobs_by_local_id ON jobs(local_id) WHERE local_id IS NOT NULL;
    CREATE INDEX jobs_active ON jobs(created_at) WHERE is_terminal = 0;

    CREATE TABLE job_transitions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        from_status TEXT,
        to_status   TEXT NOT NULL,
        at          INTEGER NOT NULL,
        at_source   TEXT NOT NULL CHECK (at_source IN ('provider', 'observed')),
        observed_at INTEGER NOT NULL
    );
    CREATE INDEX job_transitions_by_job ON job_transitions(job_id, id);

    CREATE TABLE job_files (
        job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('output', 'error', 'input')),
        file_id       TEXT NOT NULL,
        local_path    TEXT,
        bytes         INTEGER,
        sha256        TEXT,
        downloaded_at INTEGER,
        status        TEXT NOT NULL CHECK (status IN ('pending', 'downloaded', 'failed')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        PRIMARY KEY (job_id, kind)
    );

    CREATE TABLE sync_state (
        id                   INTEGER PRIMARY KEY CHECK (id = 1),
        last_success_at      INTEGER,
        last_error_text      TEXT,
        last_error_at        INTEGER,
        next_attempt_at      INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        interval_seconds     REAL,
        full_listing_at      INTEGER,
        last_cycle_api_calls INTEGER
    );
    INSERT INTO sync_state (id) VALUES (1);

    CREATE TABLE lease (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        holder_id   TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        host        TEXT NOT NULL,
        acquired_at INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
    );

    CREATE TABLE audit (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        at                  INTEGER NOT NULL,
        actor               TEXT NOT NULL,
        action              TEXT NOT NULL,
        targets             TEXT NOT NULL,
        parameters_json     TEXT NOT NULL,
        outcome             TEXT NOT NULL,
        provider_request_id TEXT,
        prev_hash           TEXT,
        hash                TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

    CREATE TABLE create_intents (
        local_id   TEXT PRIMARY KEY NOT NULL,
        kind       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('pending', 'created', 'ambiguous', 'failed')),
        batch_id   TEXT,
        last_error TEXT
    );
    CREATE INDEX create_intents_open ON create_intents(state) WHERE state IN ('pending', 'ambiguous');
    """

    /// Operations: routing decisions (state plus every step in the audit), and what a create intent
    /// needs to be reconciled by a later run (the request and the job it resubmits).
    private static let v2 = """
    CREATE TABLE decisions (
        id                TEXT PRIMARY KEY NOT NULL,
        subject_kind      TEXT NOT NULL CHECK (subject_kind IN ('workload', 'job')),
        subject           TEXT NOT NULL,
        to_lane           TEXT,
        to_class          TEXT,
        reason            TEXT NOT NULL,
        source            TEXT NOT NULL CHECK (source IN ('operator', 'advisor')),
        requested_by      TEXT NOT NULL,
        requested_at      INTEGER NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
        decided_by        TEXT,
        decided_at        INTEGER,
        comment           TEXT,
        daily_cost_micros INTEGER,
        dedupe_key        TEXT,
        details_json      TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX decisions_by_state ON decisions(state, requested_at);
    CREATE UNIQUE INDEX decisions_open_dedupe ON decisions(dedupe_key) WHERE state = 'pending' AND dedupe_key IS NOT NULL;

    ALTER TABLE create_intents ADD COLUMN request_json TEXT;
    ALTER TABLE create_intents ADD COLUMN parent_job_id TEXT;
    """

    /// The spend ledger: rows per (source, source key) replaced as a unit, so a rebuild never counts twice.
    private static let v3Spend = """
    CREATE TABLE spend_sources (
        source      TEXT NOT NULL CHECK (source IN ('batch_job', 'realtime_exec', 'org_usage')),
        source_key  TEXT NOT NULL,
        basis       TEXT NOT NULL,
        detail      TEXT,
        rebuilt_at  INTEGER NOT NULL,
        PRIMARY KEY (source, source_key)
    );

    CREATE TABLE spend_ledger (
        source              TEXT NOT NULL,
        source_key          TEXT NOT NULL,
        day                 TEXT NOT NULL,
        lane                TEXT NOT NULL,
        model               TEXT NOT NULL,
        workload            TEXT NOT NULL,
        input_tokens        INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        output_tokens       INTEGER NOT NULL,
        reasoning_tokens    INTEGER NOT NULL,
        requests            INTEGER NOT NULL,
        cost_micros         INTEGER NOT NULL,
        unpriced_tokens     INTEGER NOT NULL,
        PRIMARY KEY (source, source_key, day, lane, model, workload),
        FOREIGN KEY (source, source_key) REFERENCES spend_sources(source, source_key) ON DELETE CASCADE
    );
    CREATE INDEX spend_ledger_by_day ON spend_ledger(day, lane);

    CREATE TABLE spend_provider_costs (
        day           TEXT NOT NULL,
        line_item     TEXT NOT NULL,
        amount_micros INTEGER NOT NULL,
        quantity      INTEGER,
        fetched_at    INTEGER NOT NULL,
        PRIMARY KEY (day, line_item)
    );
    """

    /// Submissions and their chunks (the local queue), and queue-depth samples for the sparkline.
    ///
    /// A chunk's `state` walks held -> uploading -> uploaded -> creating -> created; `failed` is final.
    /// Rule: the state is written before each step's request is sent, why: a killed submit resumes from
    /// the last state and the create intent (keyed by `job_key`) settles an ambiguous create.
    private static let v4Lanes = """
    CREATE TABLE submissions (
        id                 TEXT PRIMARY KEY NOT NULL,
        workload           TEXT NOT NULL,
        lane               TEXT NOT NULL,
        endpoint           TEXT NOT NULL,
        model              TEXT NOT NULL,
        source_path        TEXT NOT NULL,
        source_bytes       INTEGER NOT NULL,
        source_mtime_nanos INTEGER NOT NULL,
        deadline           INTEGER,
        route_reason       TEXT NOT NULL,
        state              TEXT NOT NULL CHECK (state IN ('active', 'done', 'failed')),
        results_path       TEXT,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
    );
    CREATE INDEX submissions_by_source ON submissions(source_path, workload, state);

    CREATE TABLE submission_chunks (
        submission_id     TEXT NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        chunk_index       INTEGER NOT NULL,
        first_line        INTEGER NOT NULL,
        last_line         INTEGER NOT NULL,
        first_entry       INTEGER NOT NULL,
        end_entry         INTEGER NOT NULL,
        byte_start        INTEGER NOT NULL,
        byte_end          INTEGER NOT NULL,
        request_count     INTEGER NOT NULL,
        upload_bytes      INTEGER NOT NULL,
        estimated_tokens  INTEGER NOT NULL,
        tokens_exact      INTEGER NOT NULL,
        embedding_inputs  INTEGER NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('held', 'uploading', 'uploaded', 'creating', 'created', 'failed')),
        file_id           TEXT,
        batch_id          TEXT,
        requeue_count     INTEGER NOT NULL DEFAULT 0,
        held_since        INTEGER NOT NULL,
        last_error        TEXT,
        updated_at        INTEGER NOT NULL,
        PRIMARY KEY (submission_id, chunk_index)
    );
    CREATE INDEX submission_chunks_by_state ON submission_chunks(state, held_since);
    CREATE INDEX submission_chunks_by_batch ON submission_chunks(batch_id) WHERE batch_id IS NOT NULL;

    CREATE TABLE queue_samples (
        at               INTEGER NOT NULL,
        lane             TEXT NOT NULL,
        held_chunks      INTEGER NOT NULL,
        held_requests    INTEGER NOT NULL,
        in_flight_jobs   INTEGER NOT NULL,
        pending_requests INTEGER NOT NULL,
        enqueued_tokens  INTEGER NOT NULL,
        peak_per_mille   INTEGER,
        PRIMARY KEY (lane, at)
    );
    """

    /// A revision per job row, raised by SQLite on every change a person could see, so a reader
    /// (this process or another one) asks for "jobs changed since revision N" instead of re-reading all.
    ///
    /// `jobs_active` (jobs in flight, read by every queue-depth sample) gains the list order and every
    /// list column, why: the jobs in flight are scattered through the table, and reading each row
    /// touched nearly every page of it; from the partial index they are a few hundred kilobytes.
    /// `jobs_listing` covers every column of a list row, why: reading the list from the index touches
    /// a tenth of the pages the table holds (each row carries its raw batch JSON), so a 100,000-job
    /// list reads in a fraction of the time and memory.
    ///
    /// Rule: triggers, not the Swift writers, keep it, why: every writer (sync, cancel, a future one)
    /// is covered, including those that bypass GRDB. Poll bookkeeping (`last_polled_at`,
    /// `missing_since`) is left out of the column list on purpose: every poll touches it.
    private static let v5Revisions = """
    ALTER TABLE jobs ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    UPDATE jobs SET revision = rowid;
    CREATE INDEX jobs_listing ON jobs(
        revision, id, status, workload, lane, model, endpoint, total_requests, completed_requests, failed_requests,
        created_at, in_progress_at, expires_at, cancel_requested_at, parent_job_id,
        input_tokens, cached_input_tokens, output_tokens, reasoning_tokens);
    CREATE INDEX jobs_by_parent ON jobs(parent_job_id) WHERE parent_job_id IS NOT NULL;
    DROP INDEX jobs_active;
    CREATE INDEX jobs_active ON jobs(
        created_at DESC, id DESC, status, workload, lane, model, endpoint, total_requests, completed_requests,
        failed_requests, in_progress_at, expires_at, cancel_requested_at, parent_job_id,
        input_tokens, cached_input_tokens, output_tokens, reasoning_tokens, revision, is_terminal) WHERE is_terminal = 0;
    CREATE TRIGGER jobs_revision_on_insert AFTER INSERT ON jobs BEGIN
        UPDATE jobs SET revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM jobs) WHERE rowid = NEW.rowid;
    END;
    CREATE TRIGGER jobs_revision_on_update AFTER UPDATE OF
        status, is_terminal, endpoint, model, input_file_id, completion_window, output_file_id, error_file_id,
        created_at, in_progress_at, expires_at, finalizing_at, completed_at, failed_at, expired_at, cancelling_at,
        cancelled_at, total_requests, completed_requests, failed_requests, input_tokens, cached_input_tokens,
        output_tokens, reasoning_tokens, errors_json, metadata_json, raw_json, workload, lane, parent_job_id,
        local_id, first_seen_at, cancel_requested_at
    ON jobs BEGIN
        UPDATE jobs SET revision = (SELECT MAX(revision) + 1 FROM jobs) WHERE rowid = NEW.rowid;
    END;
    """

    /// The audit chain's anchor: a MAC per row (HMAC-SHA256 of its hash under a key kept outside the
    /// database, NULL for rows written before) and the one-row `audit_head` (appended-row counter, last
    /// id and hash, MAC), kept by every append in its transaction, so a rewritten, re-hashed or
    /// shortened chain fails `batchtop audit --verify`. The head's table and triggers are defined in
    /// `AuditProtection`, which also restores the triggers at open.
    private static let v6AuditAnchor = """
    ALTER TABLE audit ADD COLUMN mac TEXT;
    """

    /// v7: a provider that misbehaves is re-checked, not trusted once.
    ///
    /// - A 404 on `GET /batches/{id}` starts a streak (`not_found_since`, `not_found_count`,
    ///   `not_found_checked_at`); the job counts as missing (`missing_since`, the streak's start) only
    ///   after `MissingPolicy` says so, and a missing job is still re-checked slowly. Jobs an older build
    ///   hid after a single 404 become candidates again (their streak kept), so a transient 404 no
    ///   longer hides a job for good. `missing_since` raises the row's revision when it changes (the list
    ///   and detail show it); `jobs_missing` finds the few missing jobs without touching the others.
    /// - `sync_state.activity_*`: what the running cycle is doing ("rate limited, retrying in 30s",
    ///   "listing page 40"), so the header and `sync` say it while it happens.
    /// - `job_files.next_attempt_at`: when a failed download is tried again (NULL: given up for good);
    ///   every download an older build abandoned is tried again.
    private static let v7Faults = """
    ALTER TABLE jobs ADD COLUMN not_found_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN not_found_since INTEGER;
    ALTER TABLE jobs ADD COLUMN not_found_checked_at INTEGER;
    UPDATE jobs SET not_found_count = 1, not_found_since = missing_since, not_found_checked_at = missing_since,
        missing_since = NULL
    WHERE missing_since IS NOT NULL;
    CREATE INDEX jobs_missing ON jobs(missing_since) WHERE missing_since IS NOT NULL;
    CREATE TRIGGER jobs_revision_on_missing AFTER UPDATE OF missing_since ON jobs
    WHEN OLD.missing_since IS NOT NEW.missing_since BEGIN
        UPDATE jobs SET revision = (SELECT MAX(revision) + 1 FROM jobs) WHERE rowid = NEW.rowid;
    END;
    ALTER TABLE sync_state ADD COLUMN activity_text TEXT;
    ALTER TABLE sync_state ADD COLUMN activity_at INTEGER;
    ALTER TABLE sync_state ADD COLUMN activity_until INTEGER;
    ALTER TABLE job_files ADD COLUMN next_attempt_at INTEGER;
    UPDATE job_files SET next_attempt_at = 0 WHERE status != 'downloaded';
    """

    /// The lane a decision moves work from, stored when it is raised (it was recomputed from today's
    /// route, so an approved move read "realtime → realtime").
    ///
    /// Existing rows get the best value the database holds, in order: a `from_lane` in `details_json`;
    /// for a job, the job's lane; for the advisor's "to-batch" proposals, realtime (where it saw the
    /// spend); for a workload moved to a lane, the other lane (a proposal names a lane other than the
    /// one the work is in, bar the rare no-op); else NULL, shown as "?",
    /// why: the route it was raised against is not in the database (it depends on the config then).
    private static let v8DecisionFromLane = """
    ALTER TABLE decisions ADD COLUMN from_lane TEXT CHECK (from_lane IS NULL OR from_lane IN ('realtime', 'batch'));
    UPDATE decisions SET from_lane = CASE
        WHEN json_valid(details_json) AND json_extract(details_json, '$.from_lane') IN ('realtime', 'batch')
            THEN json_extract(details_json, '$.from_lane')
        WHEN subject_kind = 'job'
            THEN (SELECT lane FROM jobs WHERE jobs.id = decisions.subject AND lane IN ('realtime', 'batch'))
        WHEN dedupe_key LIKE 'to-batch:%' THEN 'realtime'
        WHEN to_lane = 'batch' THEN 'realtime'
        WHEN to_lane = 'realtime' THEN 'batch'
        ELSE NULL
    END;
    """

    /// v9: the lease is judged by its holder's liveness and heartbeat, never by comparing wall clocks.
    ///
    /// `heartbeat` rises with every renewal and `ttl_seconds` is how long the holder may stay silent (a
    /// duration, free of clock skew); `boot_id`, `pid_namespace` and `pid_start` identify the holder's
    /// process exactly, so a dead holder on the same machine is recognised even when its pid is a
    /// zombie or reused. `lease_watch` holds, per monotonic-clock domain (a boot), the first reading at
    /// which a claimant saw the current heartbeat: a one-shot claimant continues what the last one saw.
    private static let v9LeaseHeartbeat = """
    ALTER TABLE lease ADD COLUMN heartbeat INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE lease ADD COLUMN ttl_seconds INTEGER NOT NULL DEFAULT 180;
    ALTER TABLE lease ADD COLUMN boot_id TEXT;
    ALTER TABLE lease ADD COLUMN pid_namespace TEXT;
    ALTER TABLE lease ADD COLUMN pid_start INTEGER;
    CREATE TABLE lease_watch (
        observer    TEXT PRIMARY KEY NOT NULL,
        holder_id   TEXT NOT NULL,
        heartbeat   INTEGER NOT NULL,
        seen_at     REAL NOT NULL
    );
    """
}
