import Foundation

extension OperationsService {
    /// Resubmits a finished job, whole or only its unfinished requests, as one new batch linked to it.
    ///
    /// Rule: open intents from interrupted runs are reconciled first, why: an interrupted resubmit may
    /// already have made the batch, and creating another would double the work. The new batch is created
    /// through `BatchCreator`, so the intent is durable before the provider is called and a lost response
    /// is settled by listing, never by a blind retry.
    public func resubmit(_ jobID: String, failedOnly: Bool) async throws -> ResubmitOutcome {
        try requireWritable("resubmit")
        let api = try requireAPI("resubmit")
        let settled = try await reconcileOpenIntents()
        guard let record = try await refreshedRecord(jobID) else {
            try audit("resubmit", targets: [jobID], outcome: "refused: no such job")
            throw OperationError.noSuchJob(jobID)
        }
        let job = record.job
        let parent = job.id
        if let reason = ActionPreconditions.resubmit(status: job.batch.status, counts: job.batch.requestCounts, failedOnly: failedOnly).reason {
            let error = OperationError.precondition(action: "resubmit", jobID: parent, reason: reason)
            try audit("resubmit", targets: [parent], ["failed_only": String(failedOnly)], outcome: "refused: \(reason)")
            throw error
        }
        if let open = try store.openIntents().first(where: { $0.parentJobID == parent }) {
            let error = OperationError.jobState(jobID: parent, status: job.batch.status.rawValue,
                why: "an earlier resubmit (\(open.localID)) is still unsettled; run `batchtop sync` and try again later")
            try audit("resubmit", targets: [parent], outcome: "refused: \(error.description)")
            throw error
        }
        // An interrupted run already resubmitted this job: that batch is the answer, never a second one.
        if let earlier = settled.first(where: { $0.parentJobID == parent }), let batch = earlier.batch {
            return ResubmitOutcome(parentJobID: parent, localID: earlier.localID, batch: batch, reconciled: true,
                                   requestCount: batch.requestCounts.total, failedOnly: failedOnly,
                                   message: "an interrupted earlier resubmit of \(parent) had already created \(batch.id); recorded it and created nothing new (run resubmit again if you want another)")
        }
        // A resubmit still running means its requests are already in flight: a second one would run them twice.
        if let running = try store.lineage(of: parent).first(where: { $0.parentJobID == parent && !$0.batch.status.isTerminal }) {
            let error = OperationError.jobState(jobID: parent, status: job.batch.status.rawValue,
                why: "its resubmit \(running.id) is still \(running.batch.status); wait for it to end (then resubmit that one) or cancel it")
            try audit("resubmit", targets: [parent, running.id], outcome: "refused: \(error.description)")
            throw error
        }
        let localID = Self.newID("bt_")
        var inputFileID: String
        var count = job.batch.requestCounts.total
        let downloader = FileDownloader(api: api, directory: dataDirectory.appendingPathComponent("files", isDirectory: true))
        do {
            let inputStillThere = failedOnly ? false : await fileExists(job.batch.inputFileID, api: api)
            if !inputStillThere {
                let plan = try await plan(record, failedOnly: failedOnly, api: api, downloader: downloader)
                if plan.lines.isEmpty {
                    // The files say what the counts did not (e.g. counts never updated): the same refusal.
                    let reason = ActionPreconditions.nothingToResubmit
                    try audit("resubmit", targets: [parent], ["failed_only": String(failedOnly)], outcome: "refused: \(reason)")
                    throw OperationError.precondition(action: "resubmit", jobID: parent, reason: reason)
                }
                let url = downloader.destination(jobID: localID, kind: .input, fileID: "resubmit-of-\(parent)")
                try plan.write(to: url)
                let uploaded = try await api.uploadFile(at: url, purpose: "batch")
                try audit("resubmit.upload", targets: [parent, localID],
                          ["requests": String(plan.lines.count), "file_id": uploaded.id, "failed_only": String(failedOnly)],
                          outcome: "uploaded \(uploaded.id)")
                inputFileID = uploaded.id
                count = plan.lines.count
            } else {
                inputFileID = job.batch.inputFileID
            }
        } catch let error as OperationError {
            throw error
        } catch {
            try audit("resubmit", targets: [parent], outcome: "failed before create: \(UntrustedText.singleLine(String(describing: error), limit: 300))",
                      requestID: Self.requestID(of: error))
            throw error
        }

        var metadata = job.batch.metadata
        metadata[MetadataKey.jobID] = nil
        metadata[MetadataKey.parent] = parent
        let request = CreateBatchRequest(inputFileID: inputFileID, endpoint: job.batch.endpoint,
                                         completionWindow: job.batch.completionWindow, metadata: metadata)
        let creator = BatchCreator(api: api, recorder: StoreIntentRecorder(store: store, kind: "resubmit", parentJobID: parent, clock: clock), clock: clock)
        let params = ["failed_only": String(failedOnly), "input_file_id": inputFileID, "requests": String(count), "local_id": localID]
        do {
            let outcome = try await creator.create(jobID: localID, request: request)
            var text: String
            var reconciled = false
            switch outcome {
            case .created(let b):
                text = "created \(b.id)"
            case .reconciled(let b, let duplicates):
                reconciled = true
                text = "response lost; found \(b.id) by its tag, not created again"
                if !duplicates.isEmpty { text += "; other batches with the same tag: \(duplicates.joined(separator: ", "))" }
            }
            try store.recordObservedBatch(outcome.batch, observedAt: clock.unixNow(),
                                          audit: draft("resubmit", targets: [parent, outcome.batch.id], params, outcome: text))
            return ResubmitOutcome(parentJobID: parent, localID: localID, batch: outcome.batch, reconciled: reconciled,
                                   requestCount: count, failedOnly: failedOnly,
                                   message: "\(parent) resubmitted as \(outcome.batch.id) (\(count) requests\(failedOnly ? ", unfinished only" : ""))\(reconciled ? "; the create response was lost and the batch was found by its tag" : "")")
        } catch let error as BatchCreateError {
            try audit("resubmit", targets: [parent, localID], params, outcome: "unknown: \(error.description)")
            throw error
        } catch {
            try audit("resubmit", targets: [parent, localID], params,
                      outcome: "not created: \(UntrustedText.singleLine(String(describing: error), limit: 300))",
                      requestID: Self.requestID(of: error))
            throw error
        }
    }

    /// Settles intents left open by interrupted runs: records a batch the run did create, or marks the
    /// intent failed when the listing proves none exists. Each settlement is audited.
    public func reconcileOpenIntents() async throws -> [IntentReconciliation] {
        let open = try store.openIntents()
        guard !open.isEmpty, let api else { return [] }
        let creator = BatchCreator(api: api, recorder: StoreIntentRecorder(store: store, kind: "reconcile", parentJobID: nil, clock: clock), clock: clock)
        var results: [IntentReconciliation] = []
        for intent in open {
            let targets = [intent.parentJobID, intent.localID].compactMap { $0 }
            let search: BatchCreator.Search
            do {
                search = try await creator.findTagged(jobID: intent.localID, since: intent.createdAt - creator.clockSkewSeconds)
            } catch {
                results.append(IntentReconciliation(localID: intent.localID, parentJobID: intent.parentJobID, kind: .unsettled(reason: String(describing: error)),
                                                    message: "\(intent.localID): could not list batches to settle it: \(error)"))
                continue
            }
            switch search {
            case .found(let batch, let duplicates):
                try store.markIntent(localID: intent.localID, .created(batchID: batch.id), at: clock.unixNow())
                var text = "interrupted \(intent.kind) had created \(batch.id); recorded it, nothing created again"
                if !duplicates.isEmpty { text += "; duplicates: \(duplicates.joined(separator: ", "))" }
                try store.recordObservedBatch(batch, observedAt: clock.unixNow(),
                                              audit: draft("\(intent.kind).reconcile", targets: targets + [batch.id], outcome: text))
                results.append(IntentReconciliation(localID: intent.localID, parentJobID: intent.parentJobID, batch: batch, kind: .found(batchID: batch.id), message: text))
            case .absent:
                let text = "interrupted \(intent.kind) never reached the provider (no batch carries \(MetadataKey.jobID)=\(intent.localID)); nothing was created"
                try store.markIntent(localID: intent.localID, .notCreated(reason: text), at: clock.unixNow())
                try audit("\(intent.kind).reconcile", targets: targets, outcome: text)
                results.append(IntentReconciliation(localID: intent.localID, parentJobID: intent.parentJobID, kind: .absent, message: text))
            case .notFoundWithinBound:
                results.append(IntentReconciliation(localID: intent.localID, parentJobID: intent.parentJobID, kind: .unsettled(reason: "listing bound reached"),
                                                    message: "\(intent.localID): not settled yet (too many newer batches to list)"))
            }
        }
        return results
    }

    private func fileExists(_ id: String, api: any BatchAPI) async -> Bool {
        (try? await api.retrieveFile(id: id)) != nil
    }

    /// The plan from the job's files, downloading input, output and error files that are not local yet.
    func plan(_ record: JobRecord, failedOnly: Bool, api: any BatchAPI, downloader: FileDownloader) async throws -> ResubmitPlan {
        let job = record.job
        let input = try await localFile(record, kind: .input, fileID: job.batch.inputFileID, downloader: downloader)
        let (inputLines, skipped) = try BatchFileLines.read(input)
        var results: [BatchFileLine] = []
        if failedOnly {
            for (kind, fileID) in [(JobFileRecord.Kind.output, job.batch.outputFileID), (.error, job.batch.errorFileID)] {
                guard let fileID else { continue }
                results += try BatchFileLines.read(try await localFile(record, kind: kind, fileID: fileID, downloader: downloader)).lines
            }
        }
        return ResubmitPlan.make(input: inputLines, results: results, failedOnly: failedOnly, skippedInput: skipped)
    }

    /// A job file's local copy: the one the sync worker downloaded, else fetched now and recorded.
    func localFile(_ record: JobRecord, kind: JobFileRecord.Kind, fileID: String, downloader: FileDownloader) async throws -> URL {
        if let existing = record.files.first(where: { $0.kind == kind && $0.fileID == fileID && $0.status == .downloaded }),
           let path = existing.localPath, FileManager.default.fileExists(atPath: path) {
            return URL(fileURLWithPath: path)
        }
        do {
            let local = try await downloader.fetch(jobID: record.job.id, kind: kind, fileID: fileID)
            try store.recordFile(JobFileRecord(jobID: record.job.id, kind: kind, fileID: fileID, localPath: local.path, bytes: local.bytes,
                                               sha256: local.sha256, downloadedAt: clock.unixNow(), status: .downloaded, attempts: 1))
            return URL(fileURLWithPath: local.path)
        } catch {
            throw OperationError.fileUnavailable(jobID: record.job.id, kind: kind.rawValue,
                                                 why: "no local copy and the download failed (\(UntrustedText.singleLine(String(describing: error), limit: 200))); the provider may have deleted it")
        }
    }
}
