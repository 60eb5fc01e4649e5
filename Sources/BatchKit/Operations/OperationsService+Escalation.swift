import Foundation

/// What applying an approved escalation recorded.
public struct EscalationRecord: Sendable, Hashable {
    public var decisionID: String
    public var jobID: String
    /// The requests that will run in real time, in input order.
    public var customIDs: [String]
    /// The JSONL holding them (input lines), under the data directory.
    public var file: URL
    public var message: String
}

extension OperationsService {
    /// For an approved escalation of a batch job to real time: records exactly which requests will run
    /// (input lines without a successful answer so far) in a JSONL file and an audit row.
    ///
    /// It only plans: nothing is cancelled and nothing is sent; `applyEscalation` runs the plan.
    public func recordEscalation(_ decisionID: String) async throws -> EscalationRecord {
        try requireWritable("apply an escalation")
        let api = try requireAPI("apply an escalation")
        guard let d = try store.decision(id: decisionID) else { throw OperationError.noSuchDecision(decisionID) }
        guard d.state == .approved, case .job(let jobID) = d.subject,
              (d.toLane ?? d.toClass.map(settings.policy.lane(for:))) == .realtime else {
            throw OperationError.invalidInput("decision \(decisionID) is not an approved escalation of a job to real time")
        }
        guard let record = try await refreshedRecord(jobID) else { throw OperationError.noSuchJob(jobID) }
        let downloader = FileDownloader(api: api, directory: dataDirectory.appendingPathComponent("files", isDirectory: true))
        let plan = try await plan(record, failedOnly: true, api: api, downloader: downloader)
        let url = downloader.destination(jobID: jobID, kind: .input, fileID: "escalation-\(decisionID)")
        try plan.write(to: url)
        let text = "recorded \(plan.lines.count) unfinished requests to run in real time (\(url.lastPathComponent)); nothing was cancelled or sent yet (applyEscalation does both)"
        try audit("decision.apply", targets: [decisionID, jobID], ["requests": String(plan.lines.count), "file": url.path], outcome: text)
        return EscalationRecord(decisionID: decisionID, jobID: jobID, customIDs: plan.customIDs, file: url, message: text)
    }
}

/// What running an approved escalation in the real-time lane did.
public struct EscalationOutcome: Sendable, Hashable {
    /// The requests that were taken from the batch.
    public var record: EscalationRecord
    /// What the executor did (sent, succeeded, failed, usage per model).
    public var run: RealtimeRunResult?
    /// One line for the operator.
    public var message: String
}

extension OperationsService {
    /// Where the real-time answers of an escalation live: beside the job's other files, named after the
    /// decision, so `mergeResults` finds them and a rerun resumes instead of re-sending.
    func escalationResultsURL(jobID: String, decisionID: String) -> URL {
        FileDownloader.destination(in: dataDirectory.appendingPathComponent("files", isDirectory: true),
                                   jobID: jobID, kind: .output, fileID: "realtime-\(decisionID)")
    }

    /// Applies an approved escalation of a batch job to real time: records the unfinished requests,
    /// asks the provider to cancel the batch, and runs those requests through `executor`.
    ///
    /// Safe to run again: the executor skips requests its results file already answers, and a
    /// cancel of a job already cancelling is a no-op. `mergeResults` then answers each custom_id once,
    /// a real-time success taking precedence over the cancelled batch's line for the same request.
    ///
    /// The executor's usage is written to the spend ledger, priced with `prices`, as real-time spend of
    /// the job's workload (one entry per run and model, so a resumed run adds only what it sent).
    public func applyEscalation(_ decisionID: String, executor: RealtimeExecutor,
                                timeZone: TimeZone = CalendarDay.utc) async throws -> EscalationOutcome {
        let record = try await recordEscalation(decisionID)
        let cancelled = try await cancel([record.jobID]).first
        let resultsURL = escalationResultsURL(jobID: record.jobID, decisionID: decisionID)
        var run: RealtimeRunResult?
        if !record.customIDs.isEmpty {
            let summary: InputFileSummary
            do {
                summary = try InputFileValidator().validate(path: record.file.path)
            } catch {
                throw OperationError.fileUnreadable(path: record.file.path, reason: String(describing: error))
            }
            let startedAt = clock.unixNow()
            let result = try await executor.run(summary, resultsPath: resultsURL.path)
            run = result
            let workload = try store.jobDetail(id: record.jobID)?.job.workload
            for (model, usage) in result.usageByModel.sorted(by: { $0.key < $1.key }) {
                let execution = RealtimeExecution(
                    id: "\(decisionID)@\(startedAt):\(model)", model: model, workload: workload, usage: usage,
                    requests: Int64(result.succeeded), finishedAt: clock.unixNow())
                try SpendSync.recordRealtime(execution, store: store, prices: prices, timeZone: timeZone, at: clock.unixNow())
            }
        }
        let text: String
        if let run {
            text = "ran \(run.sent) of \(record.customIDs.count) unfinished requests in real time (\(run.succeeded) succeeded, "
                + "\(run.failed) failed, \(run.skipped) already answered); batch: \(cancelled?.message ?? "not cancelled")"
        } else {
            text = "nothing left to run in real time; batch: \(cancelled?.message ?? "not cancelled")"
        }
        try audit("decision.execute", targets: [decisionID, record.jobID],
                  ["requests": String(record.customIDs.count), "results": resultsURL.path,
                   "sent": String(run?.sent ?? 0), "succeeded": String(run?.succeeded ?? 0)],
                  outcome: text)
        return EscalationOutcome(record: record, run: run, message: text)
    }
}
