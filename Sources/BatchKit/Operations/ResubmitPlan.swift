import Foundation

/// Which requests of a job to send again, found by joining its input with its output and error files by `custom_id`.
///
/// A request is finished only when an output line reports success; failed, expired, cancelled and
/// missing requests are unfinished. Input order is kept, and a duplicated `custom_id` is sent once.
public struct ResubmitPlan: Sendable, Hashable {
    /// Input lines to send again, in input order.
    public var lines: [BatchFileLine]
    /// How many input requests already succeeded.
    public var succeeded: Int
    /// Input lines without a readable `custom_id` (they cannot be matched and are left out).
    public var skippedInput: Int

    /// Every input line (whole resubmit) or only the unfinished ones.
    public static func make(input: [BatchFileLine], results: [BatchFileLine], failedOnly: Bool, skippedInput: Int = 0) -> ResubmitPlan {
        var done = Set<String>()
        for line in results where BatchFileLines.outcome(line) == .succeeded { done.insert(line.customID) }
        var seen = Set<String>()
        var lines: [BatchFileLine] = []
        var succeeded = 0
        for line in input where seen.insert(line.customID).inserted {
            if done.contains(line.customID) {
                succeeded += 1
                if failedOnly { continue }
            }
            lines.append(line)
        }
        return ResubmitPlan(lines: lines, succeeded: succeeded, skippedInput: skippedInput)
    }

    /// Writes the lines as JSONL at `url` (mode 0600), replacing any previous file.
    public func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        var data = Data()
        for line in lines { data.append(contentsOf: line.bytes); data.append(0x0A) }
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// The custom_ids, in order.
    public var customIDs: [String] { lines.map(\.customID) }
}

/// What `resubmit` did.
public struct ResubmitOutcome: Sendable, Hashable {
    public var parentJobID: String
    /// batchtop's id for the new job (`metadata.batchtop_job_id`).
    public var localID: String
    /// The new provider batch.
    public var batch: Batch
    /// Whether the batch was learned by reconciliation after a lost response.
    public var reconciled: Bool
    /// Requests sent.
    public var requestCount: Int
    /// Whether only unfinished requests were sent.
    public var failedOnly: Bool
    public var message: String
}

/// What reconciling one interrupted create found.
public struct IntentReconciliation: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The interrupted run did create a batch: now recorded, not created again.
        case found(batchID: String)
        /// No batch carries the tag: the create never reached the provider.
        case absent
        /// The listing could not settle it yet (left open for the next run).
        case unsettled(reason: String)
    }
    public var localID: String
    /// The job the interrupted action resubmitted, if any.
    public var parentJobID: String?
    /// The batch found, when one was.
    public var batch: Batch?
    public var kind: Kind
    public var message: String
}
