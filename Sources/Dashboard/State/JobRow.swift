import BatchKit

/// A job as the Jobs pane shows it: the columns of the list plus figures computed by the core.
///
/// Rule: only what the list shows or sorts by, never the whole job, why: the dashboard holds one
/// row per job for its whole life, and with 100,000 jobs every field is megabytes; the detail view
/// reads the full job when it opens.
public struct JobRow: Hashable, Sendable, Identifiable {
    /// The provider batch id.
    public var id: String
    /// The provider status as last polled.
    public var status: BatchStatus
    /// The workload from the batch metadata, if any.
    public var workload: String?
    /// The model the provider reported (or the request file named), if known yet.
    public var model: String?
    /// The endpoint every request of the job calls.
    public var endpoint: String
    /// The job this one was resubmitted from.
    public var parentJobID: String?
    /// When the batch was created (unix seconds).
    public var createdAt: Int64
    // Optional times and cost as plain Int64 with `Int64.min` for "none", and counts as Int32 (a batch
    // holds at most 50,000 requests), why: an Optional<Int64> takes 16 bytes, and these packed fields
    // cut a row from 200 to 160 bytes: 4 MB on a 100,000-job list.
    private var inProgressAtValue: Int64
    private var expiresAtValue: Int64
    private var cancelRequestedAtValue: Int64
    private var costValue: Int64
    private var totalRequests: Int32
    private var completedRequests: Int32
    private var failedRequests: Int32
    /// The lane the job runs in.
    public var lane: Lane
    /// The workload's urgency class, when known.
    public var urgency: UrgencyClass?

    private static let none = Int64.min

    /// When the provider started running it.
    public var inProgressAt: Int64? {
        get { inProgressAtValue == Self.none ? nil : inProgressAtValue }
        set { inProgressAtValue = newValue ?? Self.none }
    }
    /// When the provider will expire it.
    public var expiresAt: Int64? {
        get { expiresAtValue == Self.none ? nil : expiresAtValue }
        set { expiresAtValue = newValue ?? Self.none }
    }
    /// When an operator asked to cancel it; shown as cancelling until the provider agrees.
    public var cancelRequestedAt: Int64? {
        get { cancelRequestedAtValue == Self.none ? nil : cancelRequestedAtValue }
        set { cancelRequestedAtValue = newValue ?? Self.none }
    }
    /// Cost so far at its lane's prices, when the spend module could price it.
    public var costSoFar: MicroDollars? {
        get { costValue == Self.none ? nil : MicroDollars(costValue) }
        set { costValue = newValue?.value ?? Self.none }
    }
    /// The request counts as last polled.
    public var counts: RequestCounts {
        get { RequestCounts(total: Int(totalRequests), completed: Int(completedRequests), failed: Int(failedRequests)) }
        set {
            totalRequests = Self.clamped(newValue.total)
            completedRequests = Self.clamped(newValue.completed)
            failedRequests = Self.clamped(newValue.failed)
        }
    }

    private static func clamped(_ n: Int) -> Int32 { Int32(clamping: n) }

    public init(
        id: String, status: BatchStatus, workload: String? = nil, lane: Lane = .batch, model: String? = nil,
        endpoint: String = "/v1/chat/completions", counts: RequestCounts = RequestCounts(), createdAt: Int64,
        inProgressAt: Int64? = nil, expiresAt: Int64? = nil, cancelRequestedAt: Int64? = nil,
        parentJobID: String? = nil, costSoFar: MicroDollars? = nil, urgency: UrgencyClass? = nil
    ) {
        self.id = id; self.status = status; self.workload = workload; self.lane = lane; self.model = model
        self.endpoint = endpoint; self.createdAt = createdAt; self.parentJobID = parentJobID; self.urgency = urgency
        inProgressAtValue = inProgressAt ?? Self.none
        expiresAtValue = expiresAt ?? Self.none
        cancelRequestedAtValue = cancelRequestedAt ?? Self.none
        costValue = costSoFar?.value ?? Self.none
        totalRequests = Self.clamped(counts.total)
        completedRequests = Self.clamped(counts.completed)
        failedRequests = Self.clamped(counts.failed)
    }

    /// The row of a fully decoded job.
    public init(job: Job, costSoFar: MicroDollars? = nil, urgency: UrgencyClass? = nil) {
        let b = job.batch
        self.init(
            id: b.id, status: b.status, workload: job.workload, lane: job.lane, model: b.model, endpoint: b.endpoint,
            counts: b.requestCounts, createdAt: b.createdAt, inProgressAt: b.inProgressAt, expiresAt: b.expiresAt,
            cancelRequestedAt: job.cancelRequestedAt, parentJobID: job.parentJobID, costSoFar: costSoFar, urgency: urgency)
    }

    /// The row of a job list entry read from the store.
    public init(summary j: JobSummary, costSoFar: MicroDollars? = nil, urgency: UrgencyClass? = nil) {
        self.init(
            id: j.id, status: j.status, workload: j.workload, lane: Lane(rawValue: j.lane) ?? .batch, model: j.model,
            endpoint: j.endpoint, counts: j.requestCounts, createdAt: j.createdAt, inProgressAt: j.inProgressAt,
            expiresAt: j.expiresAt, cancelRequestedAt: j.cancelRequestedAt, parentJobID: j.parentJobID,
            costSoFar: costSoFar, urgency: urgency)
    }

    /// The status the operator should see: a requested cancel shows as cancelling until the
    /// provider reports the batch terminal.
    public var displayStatus: BatchStatus {
        if cancelRequestedAt != nil && !status.isTerminal { return .cancelling }
        return status
    }

    /// The core's forecast for this row (`JobForecast`): the list, the detail, the advisor and the
    /// admission queue answer from the same rule. A row carries no first-seen time, so a batch without
    /// `in_progress_at` and `created_at` (the provider always sends `created_at`) is unknown here.
    public func forecast(now: Int64) -> JobForecast {
        JobForecast(status: status, counts: counts, createdAt: createdAt, inProgressAt: inProgressAt, expiresAt: expiresAt,
                    cancelRequestedAt: cancelRequestedAt, now: now)
    }

    /// Seconds until all requests are done at the observed rate; nil when the forecast is unknown.
    public func eta(now: Int64) -> Int64? { forecast(now: now).remaining }

    /// Seconds until the provider expires the batch (negative once past); nil when finished or unknown.
    public func timeToExpiry(now: Int64) -> Int64? {
        forecast(now: now).expiresAt.map { $0 - now }
    }

    /// Whether, at the observed rate, the batch will not finish before it expires.
    public func etaPassesExpiry(now: Int64) -> Bool { forecast(now: now).passesExpiry }

    /// Fraction of requests done (completed + failed), 0...1.
    public var progress: Double {
        guard counts.total > 0 else { return status == .completed ? 1 : 0 }
        return min(1, Double(counts.completed + counts.failed) / Double(counts.total))
    }
}
