/// One planned request of a batch: when it finishes (seconds after `in_progress_at`), whether it fails, its tokens.
struct PlannedRequest: Sendable {
    var customID: String
    var finishOffset: Int64
    var fails: Bool
    var usage: TokenCounts
    /// Seeds the answer (and embeddings): from the line's content and the world's seed.
    var answerSeed: UInt64
    var inputCount: Int
    var dimensions: Int?
    var maxOutputTokens: Int?
    /// Index into the scan's `formats`.
    var format: Int
    /// The 400 the request gets when it runs, if its body is one the service refuses.
    var rejection: APIError?
}

/// The seeded schedule of a batch, fixed at creation so the world does not depend on how often anyone polls.
struct BatchPlan: Sendable {
    var scan: InputScan
    var validationSeconds: Int64
    var processingSeconds: Int64
    var finalizingSeconds: Int64
    var cancellingSeconds: Int64
    /// Sorted by `finishOffset`.
    var requests: [PlannedRequest]
    /// Prefix sums over `requests`: failures and the usage of successes among the first i requests.
    var failedBefore: [Int]
    var usageBefore: [TokenCounts]
    var seed: UInt64

    init(scan: InputScan, validationSeconds: Int64, processingSeconds: Int64, finalizingSeconds: Int64,
         cancellingSeconds: Int64, requests: [PlannedRequest], seed: UInt64) {
        self.scan = scan; self.validationSeconds = validationSeconds; self.processingSeconds = processingSeconds
        self.finalizingSeconds = finalizingSeconds; self.cancellingSeconds = cancellingSeconds; self.seed = seed
        let sorted = requests.sorted { ($0.finishOffset, $0.customID) < ($1.finishOffset, $1.customID) }
        self.requests = sorted
        var failed = [0]
        var usage = [TokenCounts()]
        failed.reserveCapacity(sorted.count + 1); usage.reserveCapacity(sorted.count + 1)
        for request in sorted {
            failed.append(failed.last! + (request.fails ? 1 : 0))
            var next = usage.last!
            if !request.fails { next += request.usage }
            usage.append(next)
        }
        failedBefore = failed; usageBefore = usage
    }

    /// How many requests have finished `elapsed` seconds after processing started.
    func finishedCount(elapsed: Int64) -> Int {
        var low = 0, high = requests.count
        while low < high {
            let mid = (low + high) / 2
            if requests[mid].finishOffset <= elapsed { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// The emulator's own record of a batch; encoded to the wire shape by `json(now:)`.
struct StoredBatch: Sendable {
    var id: String
    var endpoint: String
    var inputFileID: String
    var completionWindow = "24h"
    var status = "validating"
    var model: String?
    var errors: [LineError]?
    var outputFileID: String?
    var errorFileID: String?
    var createdAt: Int64
    var inProgressAt: Int64?
    var expiresAt: Int64
    var finalizingAt: Int64?
    var completedAt: Int64?
    var failedAt: Int64?
    var expiredAt: Int64?
    var cancellingAt: Int64?
    var cancelledAt: Int64?
    var metadata: [String: String]?
    var outputExpiresAfter: Int64?
    var plan: BatchPlan
    /// Bumped whenever the schedule changes, so stale queued events are skipped.
    var generation = 0
    /// Whether its input tokens currently count against the model's enqueued limit.
    var enqueued = false
    var projectID: String
    var apiKeyID: String
    /// The last encoding and the number of finished requests it showed.
    var cachedJSON: String?
    var cachedFinished = -1

    var isTerminal: Bool { ["completed", "failed", "expired", "cancelled"].contains(status) }

    /// Requests finished by `now`, never past a cut (cancel or expiry).
    func finishedCount(now: Int64) -> Int {
        guard let start = inProgressAt else { return 0 }
        var until = now
        if let cut = cancellingAt { until = min(until, cut) }
        if let cut = expiredAt { until = min(until, cut) }
        return plan.finishedCount(elapsed: until - start)
    }

    /// The Batch object as the service returns it at `now`.
    mutating func encoded(now: Int64) -> String {
        let finished = finishedCount(now: now)
        if let cached = cachedJSON, cachedFinished == finished { return cached }
        let total = inProgressAt == nil ? 0 : plan.requests.count
        let failed = plan.failedBefore[finished]
        let usage = plan.usageBefore[finished]
        var pairs: [(String, JSON)] = [
            ("id", .string(id)), ("object", .string("batch")), ("endpoint", .string(endpoint)),
            ("model", .string(model)),
            ("errors", errors.map { .object([("object", .string("list")), ("data", .array($0.map(\.json)))]) } ?? .null),
            ("input_file_id", .string(inputFileID)), ("completion_window", .string(completionWindow)),
            ("status", .string(status)), ("output_file_id", .string(outputFileID)), ("error_file_id", .string(errorFileID)),
            ("created_at", .int(createdAt)), ("in_progress_at", .int(inProgressAt)), ("expires_at", .int(expiresAt)),
            ("finalizing_at", .int(finalizingAt)), ("completed_at", .int(completedAt)), ("failed_at", .int(failedAt)),
            ("expired_at", .int(expiredAt)), ("cancelling_at", .int(cancellingAt)), ("cancelled_at", .int(cancelledAt)),
            ("request_counts", .object([("total", .int(total)), ("completed", .int(finished - failed)), ("failed", .int(failed))])),
            ("usage", usage.batchUsageJSON),
        ]
        if let metadata {
            pairs.append(("metadata", .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })))
        } else {
            pairs.append(("metadata", .null))
        }
        let text = JSON.object(pairs).encoded()
        cachedJSON = text
        cachedFinished = finished
        return text
    }

    mutating func invalidate() { cachedJSON = nil }
}
