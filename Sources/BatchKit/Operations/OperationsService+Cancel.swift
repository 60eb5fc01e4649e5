import Foundation

extension OperationsService {
    /// Asks the provider to cancel each job; idempotent, never reports "cancelled" before the provider does.
    ///
    /// Rule: the request is recorded (`cancel_requested_at` + audit) before the provider is called, why:
    /// if the call is lost the job still shows "cancel requested" and the action can simply be repeated.
    public func cancel(_ jobIDs: [String]) async throws -> [CancelOutcome] {
        try requireWritable("cancel")
        let api = try requireAPI("cancel")
        var outcomes: [CancelOutcome] = []
        var seen = Set<String>()
        for id in jobIDs where seen.insert(id).inserted {
            outcomes.append(try await cancelOne(id, api: api))
        }
        return outcomes
    }

    private func cancelOne(_ requested: String, api: any BatchAPI) async throws -> CancelOutcome {
        guard let job = try await refreshedRecord(requested)?.job else {
            try audit("cancel", targets: [requested], outcome: "refused: no such job")
            return CancelOutcome(jobID: requested, kind: .notFound, message: OperationError.noSuchJob(requested).description)
        }
        let id = job.id
        let status = job.batch.status
        switch ActionPreconditions.cancel(status: status, cancelRequestedAt: job.cancelRequestedAt) {
        case .refused(let reason):
            try audit("cancel", targets: [id], outcome: "refused: \(reason)")
            return CancelOutcome(jobID: id, kind: .refused(reason: reason), message: "\(id): \(reason)")
        case .alreadyDone(let reason):
            try audit("cancel", targets: [id], outcome: "no-op: \(reason)")
            return CancelOutcome(jobID: id, kind: .alreadyCancelling, message: "\(id): \(reason)")
        case .allowed:
            break
        }
        let now = clock.unixNow()
        try store.markCancelRequested(jobID: id, at: now, audit: draft(
            "cancel.request", targets: [id], ["status_before": status.rawValue], outcome: "cancel requested; calling the provider"))
        do {
            let batch = try await api.cancelBatch(id: id)
            try store.recordObservedBatch(batch, observedAt: clock.unixNow(), audit: draft(
                "cancel", targets: [id], outcome: "provider answered \(batch.status)"))
            return CancelOutcome(jobID: id, kind: .requested(status: batch.status),
                                 message: "\(id): cancel requested; provider says \(batch.status)")
        } catch {
            let requestID = Self.requestID(of: error)
            // The job may have finished meanwhile: learn its real status rather than guess.
            if let apiError = error as? APIError, apiError.provesNotProcessed,
               let fresh = try? await api.retrieveBatch(id: id), fresh.status.isTerminal {
                try store.recordObservedBatch(fresh, observedAt: clock.unixNow())
                let reason = "job became \(fresh.status) before the cancel reached the provider"
                try audit("cancel", targets: [id], outcome: "refused: \(reason)", requestID: requestID)
                return CancelOutcome(jobID: id, kind: .refused(reason: reason), message: "\(id): \(reason)")
            }
            let reason = UntrustedText.singleLine(String(describing: error), limit: 300)
            try audit("cancel", targets: [id], outcome: "failed: \(reason)", requestID: requestID)
            return CancelOutcome(jobID: id, kind: .failed(reason: reason),
                                 message: "\(id): cancel requested but the provider call failed (\(reason)); run cancel again")
        }
    }
}
