import Foundation

/// Creates provider batches so that one intent yields at most one batch, even when a response is lost.
///
/// Rule: record the intent, tag `metadata[batchtop_job_id]`, send once; on an ambiguous failure list
/// batches and match the tag; only a listing that proves absence allows one more attempt, why:
/// `POST /batches` has no idempotency key, so a blind retry after a lost response makes a duplicate.
public struct BatchCreator: Sendable {
    /// What a successful create returned.
    public enum Outcome: Sendable, Hashable {
        /// The create response arrived.
        case created(Batch)
        /// The create response was lost; the batch was found by its tag. `duplicateIDs` lists any other
        /// batches carrying the same tag (made outside this creator), oldest kept as the answer.
        case reconciled(Batch, duplicateIDs: [String])

        /// The batch, however it was learned.
        public var batch: Batch {
            switch self {
            case .created(let b), .reconciled(let b, _): return b
            }
        }
    }

    private let api: any BatchAPI
    private let recorder: any CreateIntentRecorder
    private let clock: any WallClock
    /// Page size of the reconciliation listing.
    public var reconcilePageSize: Int
    /// The most pages the reconciliation reads before giving up as unresolved.
    public var reconcileMaxPages: Int
    /// How far before the intent time a batch may be stamped and still be ours (provider clock skew).
    public var clockSkewSeconds: Int64

    public init(
        api: any BatchAPI, recorder: any CreateIntentRecorder, clock: any WallClock,
        reconcilePageSize: Int = 100, reconcileMaxPages: Int = 10, clockSkewSeconds: Int64 = 600
    ) {
        self.api = api; self.recorder = recorder; self.clock = clock
        self.reconcilePageSize = reconcilePageSize; self.reconcileMaxPages = reconcileMaxPages
        self.clockSkewSeconds = clockSkewSeconds
    }

    /// Creates the batch for `jobID` (batchtop's own job id), reconciling if the outcome is ambiguous.
    ///
    /// - Throws: the `APIError` when the provider certainly made no batch; `BatchCreateError` when it is
    ///   not known (the intent stays recorded as unresolved so a later sync can settle it).
    public func create(jobID: String, request: CreateBatchRequest) async throws -> Outcome {
        let tagged = try Self.tag(request, jobID: jobID)
        let intent = CreateIntent(jobID: jobID, createdAt: clock.unixNow(), request: tagged)
        try await recorder.recordIntent(intent)

        var lastAmbiguous: Error? = nil
        // At most two sends: the first, and one more only after a listing proved the first made nothing.
        for _ in 0..<2 {
            do {
                let batch = try await api.createBatch(tagged)
                // Rule: failing to record success does not fail the create, why: the batch exists, and a
                // thrown error would invite a retry (a duplicate); the intent stays pending and the next
                // sync matches the tag.
                try? await recorder.markResult(jobID: jobID, .created(batchID: batch.id))
                return .created(batch)
            } catch let error as APIError where error.provesNotProcessed {
                try await recorder.markResult(jobID: jobID, .notCreated(reason: error.description))
                throw error
            } catch {
                lastAmbiguous = error
            }
            let search: Search
            do {
                search = try await findTagged(jobID: jobID, since: intent.createdAt - clockSkewSeconds)
            } catch {
                let failure = BatchCreateError(jobID: jobID, cause: lastAmbiguous, reconcileError: error)
                try? await recorder.markResult(jobID: jobID, .unresolved(reason: failure.description))
                throw failure
            }
            switch search {
            case .found(let batch, let duplicates):
                try? await recorder.markResult(jobID: jobID, .created(batchID: batch.id))
                return .reconciled(batch, duplicateIDs: duplicates)
            case .notFoundWithinBound:
                let failure = BatchCreateError(jobID: jobID, cause: lastAmbiguous, reconcileError: nil)
                try? await recorder.markResult(jobID: jobID, .unresolved(reason: failure.description))
                throw failure
            case .absent:
                continue
            }
        }
        // Both sends failed and the listing after each proved no batch carries the tag.
        let failure = lastAmbiguous ?? BatchCreateError(jobID: jobID, cause: nil, reconcileError: nil)
        try await recorder.markResult(jobID: jobID, .notCreated(reason: String(describing: failure)))
        throw failure
    }

    /// The request with `metadata[batchtop_job_id]` set, checked against the provider's metadata limits.
    static func tag(_ request: CreateBatchRequest, jobID: String) throws -> CreateBatchRequest {
        guard !jobID.isEmpty, jobID.count <= 512 else {
            throw APIError(
                kind: .invalidRequest, message: "the job id must be 1 to 512 characters, got \(jobID.count)",
                method: "POST", path: "/batches")
        }
        var tagged = request
        var metadata = request.metadata ?? [:]
        if let existing = metadata[MetadataKey.jobID], existing != jobID {
            throw APIError(
                kind: .invalidRequest,
                message: "metadata already carries \(MetadataKey.jobID)=\(existing), which differs from job id \(jobID)",
                method: "POST", path: "/batches")
        }
        metadata[MetadataKey.jobID] = jobID
        guard metadata.count <= 16 else {
            throw APIError(
                kind: .invalidRequest,
                message: "metadata has \(metadata.count) pairs with the \(MetadataKey.jobID) tag; the provider allows 16",
                method: "POST", path: "/batches")
        }
        tagged.metadata = metadata
        return tagged
    }

    enum Search {
        case found(Batch, duplicates: [String])
        /// Every batch created since the intent was listed and none carries the tag.
        case absent
        /// The page bound was hit before reaching the intent time.
        case notFoundWithinBound
    }

    /// Lists batches newest first down to `since`, collecting those tagged with `jobID`.
    func findTagged(jobID: String, since: Int64) async throws -> Search {
        var matches: [Batch] = []
        var after: String? = nil
        var exhaustive = false
        pages: for _ in 0..<max(1, reconcileMaxPages) {
            let page = try await api.listBatches(after: after, limit: reconcilePageSize)
            for batch in page.data {
                // created_at of 0 means "unknown" (lenient decoding); keep looking past it.
                if batch.createdAt != 0 && batch.createdAt < since { exhaustive = true; break pages }
                if batch.metadata[MetadataKey.jobID] == jobID { matches.append(batch) }
            }
            guard page.hasMore, let next = page.lastID ?? page.data.last?.id, next != after else {
                exhaustive = !page.hasMore
                break
            }
            after = next
        }
        if let oldest = matches.min(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            return .found(oldest, duplicates: matches.filter { $0.id != oldest.id }.map(\.id))
        }
        return exhaustive ? .absent : .notFoundWithinBound
    }
}

/// A create whose outcome is unknown: it may or may not have made a batch.
public struct BatchCreateError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// batchtop's job id, the `metadata[batchtop_job_id]` tag to look for.
    public var jobID: String
    /// Why the create itself failed ambiguously.
    public var cause: String
    /// Why the reconciling listing failed, if it did.
    public var reconcileError: String?

    init(jobID: String, cause: Error?, reconcileError: Error?) {
        self.jobID = jobID
        self.cause = cause.map { String(describing: $0) } ?? "unknown failure"
        self.reconcileError = reconcileError.map { String(describing: $0) }
    }

    public var description: String {
        var text = "Creating the batch for job \(jobID) may or may not have succeeded: \(cause)"
        if let reconcileError {
            text += " Checking the batch list for it also failed: \(reconcileError)"
        } else {
            text += " The batch list did not settle it."
        }
        return text + " Do not resubmit by hand: the next sync matches metadata \(MetadataKey.jobID)=\(jobID) and records the batch if it exists."
    }

    public var errorDescription: String? { description }
}
