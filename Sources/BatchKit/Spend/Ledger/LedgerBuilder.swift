import Foundation

/// Turns jobs, real-time executions and organisation usage into ledger entries; pure.
public enum LedgerBuilder {
    /// The workload of org usage rows, which the provider cannot attribute to a workload.
    public static let unattributedWorkload = ""

    /// The day a terminal job's spend belongs to: completed, expired, cancelled (or failed) time in `timeZone`;
    /// nil while the job is not terminal.
    public static func spendDay(of batch: Batch, in timeZone: TimeZone) -> CalendarDay? {
        guard batch.status.isTerminal else { return nil }
        let at = batch.completedAt ?? batch.expiredAt ?? batch.cancelledAt ?? batch.failedAt ?? batch.createdAt
        return CalendarDay(unixSeconds: at, in: timeZone)
    }

    /// The `batch_job` entry of a job: `Batch.usage` at batch rates, else the usage of its downloaded files.
    ///
    /// - Parameters:
    ///   - ingest: the job's output (and error) files read with `UsageIngest`, when downloaded.
    ///   - awaitingFile: whether an output file exists that is not downloaded yet (the entry is marked so
    ///     it is rebuilt once the file arrives).
    /// - Returns: nil while the job is not terminal (its spend is not final).
    public static func batchJobEntry(job: Job, ingest: UsageIngestReport?, awaitingFile: Bool, prices: PriceTable,
                                     timeZone: TimeZone) -> SpendEntry? {
        guard let day = spendDay(of: job.batch, in: timeZone) else { return nil }
        let batch = job.batch
        let model = batch.model ?? UsageIngestReport.unknownModel
        func row(_ model: String, _ usage: TokenUsage, _ requests: Int64) -> SpendLedgerRow {
            .priced(source: .batchJob, sourceKey: job.id, day: day, lane: .batch, model: model, workload: job.workload,
                    usage: usage, requests: requests, prices: prices)
        }
        if let usage = batch.usage {
            let rows = usage == TokenUsage() ? [] : [row(model, usage, Int64(batch.requestCounts.completed))]
            return SpendEntry(source: .batchJob, key: job.id, basis: "usage", rows: rows)
        }
        if let ingest {
            let rows = ingest.usageByModel.keys.sorted().compactMap { name -> SpendLedgerRow? in
                guard let m = ingest.usageByModel[name] else { return nil }
                return row(name, m.usage, Int64(m.requests))
            }
            let detail = ingest.unreadable > 0 ? "\(ingest.unreadable) unreadable line(s) in the output file" : nil
            return SpendEntry(source: .batchJob, key: job.id, basis: "output_file", detail: detail, rows: rows)
        }
        return SpendEntry(source: .batchJob, key: job.id, basis: awaitingFile ? "awaiting_file" : "nothing", rows: [])
    }

    /// The `realtime_exec` entry of one real-time execution batchtop ran.
    public static func realtimeEntry(_ execution: RealtimeExecution, prices: PriceTable, timeZone: TimeZone) -> SpendEntry {
        let day = CalendarDay(unixSeconds: execution.finishedAt, in: timeZone)
        let row = SpendLedgerRow.priced(
            source: .realtimeExec, sourceKey: execution.id, day: day, lane: .realtime, model: execution.model,
            workload: execution.workload, usage: execution.usage, requests: execution.requests, prices: prices)
        return SpendEntry(source: .realtimeExec, key: execution.id, basis: "reported", rows: [row])
    }

    /// One `org_usage` entry per UTC day in `days`, from usage results grouped by batch and model.
    ///
    /// Days without results get an empty entry, so a day the provider revised down is cleared.
    /// Rule: `batch == true` is priced at batch rates, anything else at real-time rates.
    public static func orgUsageEntries(_ results: [OrganizationUsageResult], days: [CalendarDay],
                                       prices: PriceTable) -> [SpendEntry] {
        var byDay: [CalendarDay: [String: (lane: Lane, model: String, usage: TokenUsage, requests: Int64)]] = [:]
        for r in results {
            let day = CalendarDay(unixSeconds: r.startTime, in: CalendarDay.utc)
            let lane: Lane = r.batch == true ? .batch : .realtime
            let model = r.model ?? UsageIngestReport.unknownModel
            let slot = lane.rawValue + "\u{1F}" + model
            var entry = byDay[day, default: [:]][slot] ?? (lane, model, TokenUsage(), 0)
            entry.usage = entry.usage.saturatingAdding(r.usage)
            entry.requests += r.requests
            byDay[day, default: [:]][slot] = entry
        }
        let allDays = Set(days).union(byDay.keys).sorted()
        return allDays.map { day in
            let groups = byDay[day] ?? [:]
            let rows = groups.keys.sorted().compactMap { slot -> SpendLedgerRow? in
                guard let g = groups[slot] else { return nil }
                return .priced(source: .orgUsage, sourceKey: day.description, day: day, lane: g.lane, model: g.model,
                               workload: unattributedWorkload, usage: g.usage, requests: g.requests, prices: prices)
            }
            return SpendEntry(source: .orgUsage, key: day.description, basis: "api", rows: rows)
        }
    }
}

/// Usage of one real-time execution, as batchtop's real-time executor reports it.
public struct RealtimeExecution: Hashable, Sendable, Codable {
    /// A unique id (e.g. the provider's request id); recording the same id again replaces, never adds.
    public var id: String
    /// The model the response names.
    public var model: String
    /// The workload, if known.
    public var workload: String?
    /// The tokens the response reported.
    public var usage: TokenUsage
    /// Requests it covers (1 for one call).
    public var requests: Int64
    /// When it finished, unix seconds.
    public var finishedAt: Int64

    public init(id: String, model: String, workload: String? = nil, usage: TokenUsage, requests: Int64 = 1, finishedAt: Int64) {
        self.id = id; self.model = model; self.workload = workload; self.usage = usage
        self.requests = requests; self.finishedAt = finishedAt
    }
}
