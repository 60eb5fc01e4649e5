import BatchKit
import Dashboard
import Foundation

/// Reads the store into the dashboard's snapshot actions.
///
/// The one place that maps BatchKit's records to Dashboard's input types, why: the dashboard
/// stays pure and the store stays UI-free, so the translation lives with the runtime.
struct SnapshotReader: Sendable {
    let store: BatchStore
    let prices: PriceTable
    let spendSettings: SpendSettings
    let clock: any WallClock
    /// Decisions and audit rows; nil when no identity is configured (the panes then stay empty).
    let operations: OperationsService?
    /// Held chunks and admission limits for the Queue pane; nil when no submissions are tracked here.
    let pump: SubmissionPump?
    /// Simulated seconds per real second; scales the worker's interval into the clock's units.
    let timeScale: Double

    /// Every snapshot the dashboard shows, newest data (the whole job list): `--once` and tests.
    func actions(paused: Bool) throws -> [Action] {
        let (others, failures) = others(paused: paused)
        if let failure = failures.first { throw failure }
        return try [allJobs().action] + others
    }

    /// The whole job list, and the revision to ask for changes after.
    func allJobs() throws -> (action: Action, revision: Int64) {
        let (rows, revision) = try listRows(after: 0)
        return (.jobsLoaded(rows), revision)
    }

    /// The jobs changed after `revision` (nil action when none), and the revision to ask from next.
    func changedJobs(after revision: Int64) throws -> (action: Action?, revision: Int64) {
        let (rows, latest) = try listRows(after: revision)
        return (rows.isEmpty ? nil : .jobsChanged(rows), latest)
    }

    /// List rows changed after `revision`, priced as they are read (each distinct model once).
    ///
    /// Rule: at batch rates whatever the job's lane, why: every row here is a provider batch, billed at
    /// batch prices, and the spend ledger prices them the same way; the lane says where work was routed.
    private func listRows(after revision: Int64) throws -> ([JobRow], Int64) {
        var rates: [String: LaneRates?] = [:]
        return try store.jobChanges(after: revision) { j in
            var cost: MicroDollars?
            if let usage = j.usage {
                let model = j.model ?? UsageIngestReport.unknownModel
                let r: LaneRates?
                if let known = rates[model] {
                    r = known
                } else {
                    r = prices.rates(for: model, lane: .batch)
                    rates[model] = r
                }
                cost = r?.cost(of: usage).total
            }
            return JobRow(summary: j, costSoFar: cost)
        }
    }

    /// Everything but the job list: freshness, queue, spend and decisions, each read on its own, why: a
    /// snapshot that cannot be read (a queue sample table busy, say) must not hold back the others.
    func others(paused: Bool, workerFailure: SyncFailure? = nil) -> (actions: [Action], failures: [any Error]) {
        var actions: [Action] = []
        var failures: [any Error] = []
        func read(_ body: () throws -> Action) {
            do { actions.append(try body()) } catch { failures.append(error) }
        }
        read { .freshness(try freshness(paused: paused, workerFailure: workerFailure)) }
        read { .queueLoaded(try queue()) }
        read { .spendLoaded(try spend()) }
        read { .decisionsLoaded(try operations?.decisionRows() ?? []) }
        return (actions, failures)
    }

    /// The list row of a fully decoded job, priced at batch rates like the list rows.
    func row(_ job: Job) -> JobRow {
        JobRow(job: job, costSoFar: prices.price(batch: job.batch)?.cost?.total)
    }

    /// The sync worker's freshness as the header shows it; `workerFailure` is this process's worker's
    /// own account of a failing cycle, which the database may not have been able to record.
    func freshness(paused: Bool, workerFailure: SyncFailure? = nil) throws -> Freshness {
        let f = try store.freshness().merging(workerFailure: workerFailure)
        let interval = Int64(((f.intervalSeconds ?? 5) * timeScale).rounded(.up))
        var freshness = Freshness(
            lastSuccessAt: f.lastSuccessAt, lastError: f.isFailing ? f.lastErrorText.map(UntrustedText.sanitized) : nil,
            nextRetryAt: f.isFailing ? f.nextAttemptAt : nil, interval: interval, polling: !paused)
        // What the running cycle is doing (a retry wait, listing progress), said while it happens.
        if let activity = f.currentActivity {
            freshness.activity = UntrustedText.sanitized(activity.line(now: clock.unixNow()))
            freshness.activityIsWait = activity.isWait
        }
        return freshness
    }

    /// Queue depth per lane: held chunks, jobs in flight, enqueued tokens, and the last 6 hours of samples.
    func queue() throws -> QueueSnapshot {
        if let pump {
            let depths = try pump.depth()
            let since = clock.unixNow() - 6 * 3_600
            return QueueSnapshot(lanes: try depths.map { depth in
                LaneQueue(depth: depth, samples: try store.queueSamples(lane: depth.lane, since: since))
            })
        }
        // No submissions tracked here (a read-only view): the jobs in flight alone.
        let jobs = try store.jobSummaries(JobFilter(activeOnly: true))
        return QueueSnapshot(lanes: Lane.allCases.map { lane in
            LaneQueue(depth: QueueDepth.compute(lane: lane, jobs: jobs, held: [], estimates: [:], limits: AdmissionLimits()), samples: [])
        })
    }

    /// Today, the last 30 days, savings and top spenders from the ledger.
    func spend() throws -> SpendSnapshot {
        let o = try SpendOverview.load(store: store, settings: spendSettings, prices: prices, now: clock.unixNow())
        return SpendSnapshot(
            day: o.day.description,
            today: o.today.map { LaneSpend(lane: $0.lane, spent: $0.spent, budget: $0.dailyBudget) },
            daily: o.daily.map { DaySpend(label: String($0.day.description.suffix(5)), perLane: $0.perLane) },
            savedToday: o.savedToday, saved30Days: o.saved30Days,
            topWorkloads: o.topWorkloads.map { NamedAmount($0.name, $0.amount) },
            topModels: o.topModels.map { NamedAmount($0.name, $0.amount) },
            warnFraction: o.warnFraction, criticalFraction: o.criticalFraction)
    }

    /// Everything about one job for the detail view.
    func detail(jobID: String) throws -> JobDetail? {
        guard let record = try store.jobDetail(id: jobID) else { return nil }
        let transitions = record.transitions.map { StatusTransition(from: $0.from, to: $0.to, at: $0.at) }
        var files: [FileEntry] = [FileEntry(role: "input", id: record.job.batch.inputFileID)]
        for f in record.files where f.kind != .input {
            files.append(FileEntry(role: f.kind.rawValue, id: f.fileID, filename: f.localPath, bytes: f.bytes))
        }
        let children = try store.childJobIDs(of: record.job.id)
        let decisions = try operations?.decisionRows().filter { row in
            switch row.subject {
            case .job(let id): return id == jobID
            case .workload(let w): return w == record.job.workload
            }
        } ?? []
        let (errors, errorsNote) = requestErrors(record)
        var detail = JobDetail(
            row: row(record.job), batch: record.job.batch, transitions: transitions, requestErrors: errors,
            requestErrorsNote: errorsNote, files: files, childJobIDs: children, decisions: decisions,
            audit: try operations?.auditEntries(jobID: jobID) ?? [])
        detail.missingSince = record.job.missingSince
        return detail
    }

    /// Request errors by code from the job's downloaded error file (streamed: bounded memory), most
    /// frequent first, with a note when they are unknown or incomplete.
    func requestErrors(_ record: JobRecord) -> ([ErrorGroup], String?) {
        let batch = record.job.batch
        guard let fileID = batch.errorFileID else {
            return ([], batch.status.isTerminal ? nil : "none so far (the provider writes the error file when the batch ends)")
        }
        guard let file = record.files.first(where: { $0.kind == .error && $0.fileID == fileID && $0.status == .downloaded }),
              let path = file.localPath else {
            return ([], "error file \(fileID) not downloaded yet")
        }
        let report: UsageIngestReport
        do {
            report = try UsageIngest.read(fileAt: path)
        } catch {
            return ([], "cannot read the error file \(path): \(error)")
        }
        let groups = report.failuresByCode
            .map { ErrorGroup(code: $0.key, count: $0.value, example: report.failureExamples[$0.key] ?? "") }
            .sorted { ($0.count, $1.code) > ($1.count, $0.code) }
        let note = report.unreadable > 0 ? "\(report.unreadable) line(s) of the error file could not be read; counts below exclude them" : nil
        return (groups, note)
    }
}
