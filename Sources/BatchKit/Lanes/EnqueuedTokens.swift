/// The input tokens batchtop believes are enqueued at the provider, per model pool.
///
/// No API reports this figure, so it is counted locally: every non-terminal batch-lane job counts its
/// whole estimate until it is terminal. Rule: a running job is not credited for requests it already
/// finished, why: the provider's accounting of partial progress is not documented, and counting high
/// only holds chunks a little longer, while counting low causes `token_limit_exceeded`.
public struct EnqueuedTokens: Codable, Sendable, Hashable {
    /// Tokens per pool (see `AdmissionLimits.pool(for:)`).
    public var byPool: [String: TokenCount]
    /// Non-terminal jobs with no estimate and no fallback: not counted, shown so a person knows.
    public var unestimatedJobIDs: [String]

    public init(byPool: [String: TokenCount] = [:], unestimatedJobIDs: [String] = []) {
        self.byPool = byPool; self.unestimatedJobIDs = unestimatedJobIDs
    }

    /// Tokens of one pool (zero when none).
    public subscript(pool: String) -> Int64 { byPool[pool]?.value ?? 0 }

    /// Counts the enqueued tokens of `jobs`.
    ///
    /// - Parameters:
    ///   - estimates: batchtop's estimates by job id (batch id).
    ///   - fallbackTokensPerRequest: for jobs batchtop did not create (no estimate), tokens charged per
    ///     request in `request_counts.total`; 0 leaves them uncounted and listed in `unestimatedJobIDs`.
    public static func compute<J: QueuedJob>(
        jobs: [J], estimates: [String: JobTokenEstimate], limits: AdmissionLimits,
        fallbackTokensPerRequest: Int64 = 0
    ) -> EnqueuedTokens {
        var result = EnqueuedTokens()
        for job in jobs where job.queueLane == .batch && !job.queueStatus.isTerminal {
            let estimate = estimates[job.id]
            guard let model = job.queueModel ?? estimate?.model else {
                result.unestimatedJobIDs.append(job.id)
                continue
            }
            let tokens: TokenCount
            if let estimate {
                tokens = estimate.tokens
            } else if fallbackTokensPerRequest > 0 && job.queueCounts.total > 0 {
                tokens = TokenCount(value: fallbackTokensPerRequest * Int64(job.queueCounts.total), exact: false)
            } else {
                result.unestimatedJobIDs.append(job.id)
                continue
            }
            result.byPool[limits.pool(for: model), default: .zero] += tokens
        }
        result.unestimatedJobIDs.sort()
        return result
    }
}
