/// What one real-time run did, with usage per model for the spend ledger (lane `realtime`).
public struct RealtimeRunResult: Codable, Sendable, Hashable {
    /// The results JSONL (batch output-line format).
    public var resultsPath: String
    /// Requests in the input.
    public var total: Int
    /// Requests answered by an earlier run (found in the results file) and not sent again.
    public var skipped: Int
    /// Requests sent in this run.
    public var sent: Int
    /// Of those, answered 2xx.
    public var succeeded: Int
    /// Of those, failed after retries (an error line was written).
    public var failed: Int
    /// Token usage of this run's 2xx answers, by the model the answer names.
    public var usageByModel: [String: TokenUsage]

    public init(resultsPath: String, total: Int, skipped: Int, sent: Int, succeeded: Int, failed: Int, usageByModel: [String: TokenUsage]) {
        self.resultsPath = resultsPath; self.total = total; self.skipped = skipped; self.sent = sent
        self.succeeded = succeeded; self.failed = failed; self.usageByModel = usageByModel
    }
}
