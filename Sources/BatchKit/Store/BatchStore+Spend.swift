import Foundation
import GRDB

/// The spend ledger: entries replaced per (source, key), provider costs replaced per day.
extension BatchStore {
    /// Replaces each entry's previous rows with its new rows, all in ONE transaction.
    ///
    /// Rule: replace, never add, why: a sync run twice (or a crash and a rerun) must never count twice.
    public func replaceSpend(_ entries: [SpendEntry], at now: Int64) throws {
        if entries.isEmpty { return }
        try write("writing the spend ledger") { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM spend_ledger WHERE source = ? AND source_key = ?")
            let source = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO spend_sources (source, source_key, basis, detail, rebuilt_at) VALUES (?,?,?,?,?)
                """)
            for entry in entries {
                try delete.execute(arguments: [entry.source.rawValue, entry.key])
                try source.execute(arguments: [entry.source.rawValue, entry.key, entry.basis, entry.detail, now])
                // Rows sharing a ledger key within one entry are summed, so a key is written once.
                var merged: [String: SpendLedgerRow] = [:]
                var order: [String] = []
                for row in entry.rows {
                    let k = [row.day.description, row.lane.rawValue, row.model, row.workload].joined(separator: "\u{1F}")
                    if var existing = merged[k] {
                        existing.usage = existing.usage.saturatingAdding(row.usage)
                        existing.requests += row.requests
                        existing.cost = existing.cost.saturatingAdding(row.cost)
                        existing.unpricedTokens = existing.unpricedTokens.saturatingAdding(row.unpricedTokens)
                        merged[k] = existing
                    } else {
                        merged[k] = row
                        order.append(k)
                    }
                }
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO spend_ledger (source, source_key, day, lane, model, workload, input_tokens, cached_input_tokens,
                        output_tokens, reasoning_tokens, requests, cost_micros, unpriced_tokens)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                    """)
                for k in order {
                    guard let r = merged[k] else { continue }
                    try insert.execute(arguments: [
                        entry.source.rawValue, entry.key, r.day.description, r.lane.rawValue, r.model, r.workload,
                        r.usage.inputTokens, r.usage.cachedInputTokens, r.usage.outputTokens, r.usage.reasoningTokens,
                        r.requests, r.cost.value, r.unpricedTokens,
                    ])
                }
            }
        }
    }

    /// Ledger rows with `from <= day <= to` (ISO day strings sort as dates), every source.
    public func spendRows(from: CalendarDay, to: CalendarDay) throws -> [SpendLedgerRow] {
        try read("reading the spend ledger") { db in
            try Row.fetchAll(db, sql: """
                SELECT source, source_key, day, lane, model, workload, input_tokens, cached_input_tokens, output_tokens,
                       reasoning_tokens, requests, cost_micros, unpriced_tokens
                FROM spend_ledger WHERE day >= ? AND day <= ? ORDER BY day, lane, model, workload, source, source_key
                """, arguments: [from.description, to.description]).compactMap { row -> SpendLedgerRow? in
                guard let source = SpendSource(rawValue: row[0]), let day = CalendarDay(row[2] as String),
                      let lane = Lane(rawValue: row[3] as String) else { return nil }
                return SpendLedgerRow(
                    source: source, sourceKey: row[1], day: day, lane: lane, model: row[4], workload: row[5],
                    usage: TokenUsage(inputTokens: row[6], cachedInputTokens: row[7], outputTokens: row[8], reasoningTokens: row[9]),
                    requests: row[10], cost: MicroDollars(row[11]), unpricedTokens: row[12])
            }
        }
    }

    /// How many entries of `source` are recorded, by basis (for reports and tests).
    public func spendSourceCounts(_ source: SpendSource) throws -> [String: Int] {
        try read("counting spend sources") { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT basis, count(*) FROM spend_sources WHERE source = ? GROUP BY basis",
                                        arguments: [source.rawValue]) {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    /// Terminal jobs whose `batch_job` entry is missing, or is waiting for an output file that is now
    /// downloaded: newest first, at most `limit`, strictly older than `after` (the last job of the
    /// previous page) when given.
    ///
    /// One query per page, why: a first run prices every terminal job ever seen; a query per job costs
    /// a millisecond each, and all of them at once held a 100,000-job database in memory.
    public func jobsNeedingSpend(after: Job? = nil, limit: Int = 1_000) throws -> [Job] {
        var keyset = ""
        var args: StatementArguments = []
        if let after {
            keyset = " AND (j.created_at < ? OR (j.created_at = ? AND j.id < ?))"
            args = [after.batch.createdAt, after.batch.createdAt, after.id]
        }
        args += [max(0, limit)]
        return try read("finding jobs to price") { db in
            try Row.fetchCursor(db, sql: """
                SELECT \(Self.jobColumns) FROM jobs j
                LEFT JOIN spend_sources s ON s.source = 'batch_job' AND s.source_key = j.id
                WHERE j.is_terminal = 1 AND (s.source_key IS NULL OR (s.basis = 'awaiting_file' AND EXISTS (
                    SELECT 1 FROM job_files f WHERE f.job_id = j.id AND f.status = 'downloaded')))\(keyset)
                ORDER BY j.created_at DESC, j.id DESC LIMIT ?
                """, arguments: args).map(Self.job(from:)).reduce(into: [Job]()) { $0.append($1) }
        }
    }

    /// The jobs with these ids (unknown ids are skipped), read in chunks of 500.
    public func jobs(ids: [String]) throws -> [Job] {
        try read("reading jobs by id") { db in
            var jobs: [Job] = []
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                jobs += try Row.fetchAll(db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE id IN (\(marks))",
                                         arguments: StatementArguments(chunk)).map(Self.job(from:))
            }
            return jobs
        }
    }

    /// The downloaded files of a job (output and error), for reading usage from them.
    public func downloadedFiles(jobID: String) throws -> [JobFileRecord] {
        try read("reading files of job \(jobID)") { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, file_id, local_path FROM job_files WHERE job_id = ? AND status = 'downloaded' ORDER BY kind
                """, arguments: [jobID]).map {
                JobFileRecord(jobID: jobID, kind: JobFileRecord.Kind(rawValue: $0[0]) ?? .output, fileID: $0[1],
                              localPath: $0[2], status: .downloaded)
            }
        }
    }

    /// Replaces the provider's cost line items of each day in `days` with `items` (one transaction).
    public func replaceProviderCosts(days: [CalendarDay], items: [ProviderCostItem], at now: Int64) throws {
        try write("writing provider costs") { db in
            for day in Set(days).union(items.map(\.day)) {
                try db.execute(sql: "DELETE FROM spend_provider_costs WHERE day = ?", arguments: [day.description])
            }
            var merged: [String: ProviderCostItem] = [:]
            for item in items {
                let k = item.day.description + "\u{1F}" + item.lineItem
                if var existing = merged[k] {
                    existing.amount = existing.amount.saturatingAdding(item.amount)
                    existing.quantity = (existing.quantity ?? 0) + (item.quantity ?? 0)
                    merged[k] = existing
                } else {
                    merged[k] = item
                }
            }
            for item in merged.values {
                try db.execute(sql: """
                    INSERT INTO spend_provider_costs (day, line_item, amount_micros, quantity, fetched_at) VALUES (?,?,?,?,?)
                    """, arguments: [item.day.description, item.lineItem, item.amount.value, item.quantity, now])
            }
        }
    }

    /// The provider's cost line items with `from <= day <= to`.
    public func providerCosts(from: CalendarDay, to: CalendarDay) throws -> [ProviderCostItem] {
        try read("reading provider costs") { db in
            try Row.fetchAll(db, sql: """
                SELECT day, line_item, amount_micros, quantity FROM spend_provider_costs
                WHERE day >= ? AND day <= ? ORDER BY day, line_item
                """, arguments: [from.description, to.description]).compactMap { row in
                guard let day = CalendarDay(row[0] as String) else { return nil }
                return ProviderCostItem(day: day, lineItem: row[1], amount: MicroDollars(row[2]), quantity: row[3])
            }
        }
    }

    /// UTC days with organisation data (usage fetched), `from <= day <= to`.
    public func organizationDays(from: CalendarDay, to: CalendarDay) throws -> Set<CalendarDay> {
        try read("reading organisation days") { db in
            Set(try String.fetchAll(db, sql: """
                SELECT source_key FROM spend_sources WHERE source = 'org_usage' AND source_key >= ? AND source_key <= ?
                """, arguments: [from.description, to.description]).compactMap(CalendarDay.init))
        }
    }
}
