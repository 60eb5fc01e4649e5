import Foundation

/// What `results` wrote.
public struct MergeSummary: Sendable, Hashable {
    /// Jobs of the chain, oldest first.
    public var jobIDs: [String]
    /// Jobs of the chain still running (their results are not in yet).
    public var runningJobIDs: [String]
    /// Input requests (distinct custom_ids).
    public var inputCount: Int
    public var succeeded: Int
    /// Unanswered-successfully requests by error code (`missing` when no job answered them).
    public var errorsByCode: [String: Int]
    /// Lines written.
    public var written: Int

    /// Requests without a successful answer.
    public var failed: Int { errorsByCode.values.reduce(0, +) }

    /// A few lines for the terminal; the error codes (provider data) are sanitized and cut.
    public var message: String {
        var text = "\(inputCount) requests across \(jobIDs.count) job(s) (\(jobIDs.joined(separator: " -> "))): \(succeeded) succeeded, \(failed) without a successful answer; \(written) lines written"
        if !errorsByCode.isEmpty {
            text += "\nerrors by code: " + errorsByCode.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\(UntrustedText.singleLine($0.key, limit: 64)) \($0.value)" }.joined(separator: ", ")
        }
        if !runningJobIDs.isEmpty { text += "\nstill running, not included: \(runningJobIDs.joined(separator: ", "))" }
        return text
    }
}

extension OperationsService {
    /// Merges into the file at `destination` (see `mergeResults(_:into:includeErrors:)`).
    public func mergeResults(_ jobID: String, to destination: URL, includeErrors: Bool) async throws -> MergeSummary {
        try await mergeResults(jobID, into: .path(destination.path), includeErrors: includeErrors)
    }

    /// Merges a job's results with its resubmits' by `custom_id`: one line per input request, in input
    /// order, the newest success winning; failures and unanswered requests only with `includeErrors`.
    ///
    /// Written by `OutputFile` (created 0600, replaced atomically; devices and FIFOs written through;
    /// links to files, directories and other special files refused with an `OutputFileError`).
    public func mergeResults(_ jobID: String, into destination: OutputDestination, includeErrors: Bool) async throws -> MergeSummary {
        guard try await refreshedRecord(jobID) != nil else { throw OperationError.noSuchJob(jobID) }
        guard let root = try store.lineage(of: jobID).first else { throw OperationError.noSuchJob(jobID) }
        for job in try store.lineage(of: root.id) where !job.batch.status.isTerminal { _ = try await refreshedRecord(job.id) }
        let chain = try store.lineage(of: root.id)
        let downloader = api.map { FileDownloader(api: $0, directory: dataDirectory.appendingPathComponent("files", isDirectory: true)) }
        func local(_ job: Job, _ kind: JobFileRecord.Kind, _ fileID: String) async throws -> URL {
            guard let record = try store.jobDetail(id: job.id) else { throw OperationError.noSuchJob(job.id) }
            if let downloader { return try await localFile(record, kind: kind, fileID: fileID, downloader: downloader) }
            guard let file = record.files.first(where: { $0.kind == kind && $0.status == .downloaded }), let path = file.localPath else {
                throw OperationError.fileUnavailable(jobID: job.id, kind: kind.rawValue, why: "not downloaded yet and no API key is configured to fetch it")
            }
            return URL(fileURLWithPath: path)
        }
        let inputLines = try BatchFileLines.read(try await local(root, .input, root.batch.inputFileID)).lines
        var success: [String: BatchFileLine] = [:]
        var failure: [String: (BatchFileLine, String)] = [:]
        var running: [String] = []
        for job in chain {
            guard job.batch.status.isTerminal else { running.append(job.id); continue }
            for (kind, fileID) in [(JobFileRecord.Kind.error, job.batch.errorFileID), (.output, job.batch.outputFileID)] {
                guard let fileID else { continue }
                for line in try BatchFileLines.read(try await local(job, kind, fileID)).lines {
                    switch BatchFileLines.outcome(line) {
                    case .succeeded: success[line.customID] = line
                    case .failed(let code): failure[line.customID] = (line, code)
                    }
                }
            }
        }
        // Real-time answers of approved escalations: a success answers the request whatever the
        // cancelled batch said; a real-time failure never hides a batch success.
        for job in chain {
            for decision in try store.decisions(states: [.approved]) where decision.subject == .job(job.id) {
                let url = escalationResultsURL(jobID: job.id, decisionID: decision.id)
                guard FileManager.default.fileExists(atPath: url.path) else { continue }
                for line in try BatchFileLines.read(url).lines {
                    switch BatchFileLines.outcome(line) {
                    case .succeeded: success[line.customID] = line
                    case .failed(let code): if success[line.customID] == nil { failure[line.customID] = (line, code) }
                    }
                }
            }
        }
        var summary = MergeSummary(jobIDs: chain.map(\.id), runningJobIDs: running, inputCount: 0, succeeded: 0, errorsByCode: [:], written: 0)
        var out = Data()
        var seen = Set<String>()
        for line in inputLines where seen.insert(line.customID).inserted {
            summary.inputCount += 1
            if let answer = success[line.customID] {
                summary.succeeded += 1
                out.append(contentsOf: answer.bytes); out.append(0x0A); summary.written += 1
                continue
            }
            let code = failure[line.customID]?.1 ?? "missing"
            summary.errorsByCode[code, default: 0] += 1
            guard includeErrors else { continue }
            if let (failed, _) = failure[line.customID] {
                out.append(contentsOf: failed.bytes)
            } else {
                out.append(contentsOf: (#"{"custom_id":"# + AuditRecord.jsonString(line.customID)
                    + #","response":null,"error":{"code":"missing","message":"no job in the resubmit chain answered this request"}}"#).utf8)
            }
            out.append(0x0A); summary.written += 1
        }
        try OutputFile.write(out, to: destination)
        return summary
    }
}
