import Foundation

/// Refreshes the spend ledger after a sync cycle: `batch_job` entries for jobs that became terminal or
/// whose output file arrived, and, with an admin key, organisation usage and costs of recent UTC days.
///
/// Idempotent: every entry replaces its previous rows in one transaction, so running it twice (or after
/// a crash) never counts anything twice.
public struct SpendSync: Sendable {
    /// The store holding jobs and the ledger.
    public let store: BatchStore
    /// Rates.
    public let prices: PriceTable
    /// The time zone of job and execution days.
    public let timeZone: TimeZone
    /// The admin reports client; nil when no admin key is configured.
    public let organization: (any OrganizationReportsAPI)?
    /// The clock.
    public let clock: any WallClock
    /// UTC days re-read from the provider each run (today included): recent days are revised for a while.
    public let providerLookbackDays: Int
    /// Jobs priced per transaction (and held in memory at once) on a run that prices many.
    public var pageSize = 1_000

    public init(store: BatchStore, prices: PriceTable, timeZone: TimeZone = CalendarDay.utc,
                organization: (any OrganizationReportsAPI)? = nil, clock: any WallClock = SystemClock(),
                providerLookbackDays: Int = 8) {
        self.store = store; self.prices = prices; self.timeZone = timeZone; self.organization = organization
        self.clock = clock; self.providerLookbackDays = max(1, providerLookbackDays)
    }

    /// Prices jobs needing it (plus `changedJobIDs`, e.g. `SyncReport.changes.statusChanges`' ids) and
    /// refreshes organisation usage and costs when an admin client is set.
    ///
    /// A failing organisation call does not undo the job part: it is reported in `organizationError`.
    public func run(changedJobIDs: [String] = []) async throws -> SpendSyncReport {
        var report = SpendSyncReport()
        let now = clock.unixNow()
        // The changed jobs first, then every terminal job still needing a price, a page at a time, each
        // page in its own transaction, why: a first run over 100,000 jobs held them all in memory at once.
        // Entries replace per job, so any split stays idempotent: a crash between pages leaves the rest
        // for the next run.
        var page = try store.jobs(ids: changedJobIDs)
        let changed = Set(page.map(\.id))
        var last: Job?
        var exhausted = false
        while !page.isEmpty || !exhausted {
            if page.isEmpty {
                let size = max(1, pageSize)
                let next = try store.jobsNeedingSpend(after: last, limit: size)
                exhausted = next.count < size
                last = next.last ?? last
                page = next.filter { !changed.contains($0.id) }
                continue
            }
            let entries = try entries(for: page, problems: &report.problems)
            try store.replaceSpend(entries, at: now)
            report.jobsPriced += entries.count
            page = []
        }

        guard let organization else { return report }
        let today = CalendarDay(unixSeconds: now, in: CalendarDay.utc)
        let first = today.adding(days: -(providerLookbackDays - 1))
        let start = first.startUnixSeconds(in: CalendarDay.utc) ?? now - Int64(providerLookbackDays) * 86_400
        let days = (0..<providerLookbackDays).map { first.adding(days: $0) }
        do {
            let usage = try await organization.completionsUsage(start: start, end: nil)
            let costs = try await organization.dailyCosts(start: start, end: nil)
            let orgEntries = LedgerBuilder.orgUsageEntries(usage, days: days, prices: prices)
            let items = costs.map {
                ProviderCostItem(day: CalendarDay(unixSeconds: $0.startTime, in: CalendarDay.utc), lineItem: $0.lineItem ?? "",
                                 amount: $0.amount, quantity: $0.quantity)
            }
            try store.replaceSpend(orgEntries, at: now)
            try store.replaceProviderCosts(days: days, items: items, at: now)
            report.organizationDays = orgEntries.count
        } catch {
            report.organizationError = String(describing: error)
        }
        return report
    }

    /// Ledger entries for `jobs`: batch usage where the provider reported it, else usage read from the
    /// downloaded output file; jobs still waiting for that file get an `awaiting_file` entry.
    private func entries(for jobs: [Job], problems: inout [String]) throws -> [SpendEntry] {
        var entries: [SpendEntry] = []
        for job in jobs {
            var ingest: UsageIngestReport?
            var awaiting = false
            if job.batch.usage == nil, job.batch.status.isTerminal {
                let files = try store.downloadedFiles(jobID: job.id)
                let wanted = [job.batch.outputFileID.map { (JobFileRecord.Kind.output, $0) },
                              job.batch.errorFileID.map { (JobFileRecord.Kind.error, $0) }].compactMap { $0 }
                for (kind, fileID) in wanted {
                    let file = files.first { $0.kind == kind && $0.fileID == fileID }
                    guard let path = file?.localPath else {
                        if kind == .output { awaiting = true }
                        continue
                    }
                    do {
                        let read = try UsageIngest.read(fileAt: path, fallbackModel: job.batch.model)
                        if ingest == nil { ingest = read } else { ingest?.merge(read) }
                    } catch {
                        problems.append("job \(job.id): cannot read \(path): \(error)")
                        if kind == .output { awaiting = true }
                    }
                }
                // Only the output file carries usage; an error file alone means "nothing spent" once read.
                if awaiting { ingest = nil }
            }
            guard let entry = LedgerBuilder.batchJobEntry(job: job, ingest: ingest, awaitingFile: awaiting, prices: prices,
                                                          timeZone: timeZone) else { continue }
            entries.append(entry)
        }
        return entries
    }

    /// The call for a sync worker after a cycle: reprices the jobs whose status changed in it.
    public func run(after cycle: SyncReport) async throws -> SpendSyncReport {
        try await run(changedJobIDs: cycle.changes.statusChanges.map(\.jobID))
    }

    /// Records one real-time execution's usage (the real-time executor calls this); recording the same
    /// execution id again replaces its row.
    public static func recordRealtime(_ execution: RealtimeExecution, store: BatchStore, prices: PriceTable,
                                      timeZone: TimeZone = CalendarDay.utc, at now: Int64) throws {
        try store.replaceSpend([LedgerBuilder.realtimeEntry(execution, prices: prices, timeZone: timeZone)], at: now)
    }
}

/// What one `SpendSync.run` did.
public struct SpendSyncReport: Sendable, Hashable {
    /// `batch_job` entries (re)built.
    public var jobsPriced = 0
    /// UTC days of organisation usage refreshed (0 without an admin key).
    public var organizationDays = 0
    /// Why the organisation part failed, if it did.
    public var organizationError: String?
    /// Files that could not be read, and similar non-fatal problems.
    public var problems: [String] = []

    public init() {}
}
