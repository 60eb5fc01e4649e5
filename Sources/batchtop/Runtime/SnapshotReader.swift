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

    /// Every snapshot the dashboard shows, newest data.
    func actions(paused: Bool) throws -> [Action] {
        let jobs = try store.jobs()
        return [
            .jobsLoaded(jobs.map(row)),
            .freshness(try freshness(paused: paused)),
            .queueLoaded(queue(jobs)),
            .spendLoaded(try spend()),
            .decisionsLoaded(try operations?.decisionRows() ?? []),
        ]
    }

    /// The list row of a job, with its cost so far when its usage and model are priced.
    func row(_ job: Job) -> JobRow {
        var cost: MicroDollars?
        if let priced = prices.price(batch: job.batch), let breakdown = priced.cost { cost = breakdown.total }
        return JobRow(job: job, costSoFar: cost)
    }

    /// The sync worker's freshness as the header shows it.
    func freshness(paused: Bool) throws -> Freshness {
        let f = try store.freshness()
        let interval = Int64(((f.intervalSeconds ?? 5) * timeScale).rounded(.up))
        return Freshness(
            lastSuccessAt: f.lastSuccessAt, lastError: f.isFailing ? f.lastErrorText.map(UntrustedText.sanitized) : nil,
            nextRetryAt: f.isFailing ? f.nextAttemptAt : nil, interval: interval, polling: !paused)
    }

    /// Queue depth per lane: held chunks, jobs in flight, enqueued tokens, and the last 6 hours of samples.
    func queue(_ jobs: [Job]) -> QueueSnapshot {
        if let pump, let depths = try? pump.depth() {
            let since = clock.unixNow() - 6 * 3_600
            return QueueSnapshot(lanes: depths.map { depth in
                LaneQueue(depth: depth, samples: (try? store.queueSamples(lane: depth.lane, since: since)) ?? [])
            })
        }
        return jobsOnlyQueue(jobs)
    }

    /// Queue depth from the jobs in flight alone (no submissions tracked).
    private func jobsOnlyQueue(_ jobs: [Job]) -> QueueSnapshot {
        let lanes = Lane.allCases.map { lane -> LaneQueue in
            let depth = QueueDepth.compute(lane: lane, jobs: jobs, held: [], estimates: [:], limits: AdmissionLimits())
            return LaneQueue(
                lane: lane, held: depth.heldChunks,
                byStatus: depth.jobsByStatus.sorted { $0.key < $1.key }.map { StatusCount(BatchStatus($0.key), $0.value) },
                pendingRequests: depth.pendingRequests,
                tokens: depth.models.map { ModelTokens(model: $0.model, enqueued: $0.enqueued.value, limit: $0.limit) })
        }
        return QueueSnapshot(lanes: lanes)
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
        let children = try store.jobs().filter { $0.parentJobID == jobID }.map(\.id)
        let decisions = try operations?.decisionRows().filter { row in
            switch row.subject {
            case .job(let id): return id == jobID
            case .workload(let w): return w == record.job.workload
            }
        } ?? []
        return JobDetail(
            row: row(record.job), transitions: transitions, files: files, childJobIDs: children,
            decisions: decisions, audit: try operations?.auditEntries(jobID: jobID) ?? [])
    }
}
