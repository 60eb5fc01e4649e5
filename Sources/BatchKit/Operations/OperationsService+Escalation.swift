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
    /// Limitation, said in the message and the audit: the real-time lane executor does not exist yet, so
    /// nothing is cancelled and nothing is sent; the file is what the executor will take.
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
        let text = "recorded \(plan.lines.count) unfinished requests to run in real time (\(url.lastPathComponent)); the real-time executor is not built yet, so nothing was cancelled or sent"
        try audit("decision.apply", targets: [decisionID, jobID], ["requests": String(plan.lines.count), "file": url.path], outcome: text)
        return EscalationRecord(decisionID: decisionID, jobID: jobID, customIDs: plan.customIDs, file: url, message: text)
    }
}
