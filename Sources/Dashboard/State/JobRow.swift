import BatchKit

/// A job as the Jobs pane shows it: the stored job plus figures computed by the core.
public struct JobRow: Hashable, Sendable, Identifiable {
    /// The stored job.
    public var job: Job
    /// Cost so far at batch prices, when the spend module could price it.
    public var costSoFar: MicroDollars?
    /// The workload's urgency class, when known.
    public var urgency: UrgencyClass?

    public init(job: Job, costSoFar: MicroDollars? = nil, urgency: UrgencyClass? = nil) {
        self.job = job; self.costSoFar = costSoFar; self.urgency = urgency
    }

    /// The provider batch id.
    public var id: String { job.id }
    /// The provider status as last polled.
    public var status: BatchStatus { job.batch.status }
    /// The request counts as last polled.
    public var counts: RequestCounts { job.batch.requestCounts }

    /// The status the operator should see: a requested cancel shows as cancelling until the
    /// provider reports the batch terminal.
    public var displayStatus: BatchStatus {
        if job.cancelRequestedAt != nil && !status.isTerminal { return .cancelling }
        return status
    }

    /// Seconds until all requests finish at the current rate; nil when there is no rate yet.
    public func eta(now: Int64) -> Int64? {
        guard status == .inProgress || status == .finalizing, job.cancelRequestedAt == nil, counts.total > 0 else { return nil }
        let done = counts.completed + counts.failed
        guard done > 0 else { return nil }
        let start = job.batch.inProgressAt ?? job.batch.createdAt
        let elapsed = now - start
        guard elapsed > 0 else { return nil }
        if counts.pending == 0 { return 0 }
        return Int64((Double(counts.pending) * Double(elapsed) / Double(done)).rounded(.up))
    }

    /// Seconds until the provider expires the batch; nil when finished or unknown.
    public func timeToExpiry(now: Int64) -> Int64? {
        guard !status.isTerminal, let e = job.batch.expiresAt else { return nil }
        return e - now
    }

    /// Whether, at the current rate, the batch will not finish before it expires.
    public func etaPassesExpiry(now: Int64) -> Bool {
        guard let eta = eta(now: now), let ttl = timeToExpiry(now: now) else { return false }
        return eta > ttl
    }

    /// Fraction of requests done (completed + failed), 0...1.
    public var progress: Double {
        guard counts.total > 0 else { return status == .completed ? 1 : 0 }
        return min(1, Double(counts.completed + counts.failed) / Double(counts.total))
    }

    /// Whether an operator would see no difference: poll bookkeeping (`lastPolledAt`) is ignored,
    /// why: every poll touches it, and a row must light up only when something on it moved.
    public func showsSameAs(_ other: JobRow) -> Bool {
        var mine = job, theirs = other.job
        mine.lastPolledAt = 0
        theirs.lastPolledAt = 0
        return mine == theirs && costSoFar == other.costSoFar && urgency == other.urgency
    }
}
