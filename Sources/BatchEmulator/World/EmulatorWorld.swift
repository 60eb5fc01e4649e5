import Foundation

/// The whole simulated organisation: files, batches, the event schedule and the usage ledger.
///
/// It is a value guarded by one lock in `EmulatorEngine`; every mutation first advances the world to the
/// simulated "now", so transitions land at their scheduled times however rarely anyone polls.
struct EmulatorWorld: Sendable {
    let config: EmulatorConfig
    let prices = PriceTable.standard
    let directory: URL
    var files: [String: StoredFile] = [:]
    var fileOrder: [String] = []
    var batches: [StoredBatch] = []
    var batchIndex: [String: Int] = [:]
    var events = EventQueue()
    var enqueuedTokens: [String: Int] = [:]
    var ledger = UsageLedger()
    var ids: SeededGenerator
    var now: Int64
    var batchesCreated = 0
    /// Cancels a scenario still has to issue, (time, batch id).
    var pendingScenarioCancels: [(time: Int64, id: String)] = []

    init(config: EmulatorConfig, directory: URL, start: Int64) {
        self.config = config
        self.directory = directory
        self.ids = SeededGenerator(seed: config.seed, stream: "ids")
        self.now = start
    }

    var apiKeyID: String { "key_emulator_project" }

    // MARK: Time

    /// Applies every transition due at or before `target`, in time order.
    mutating func advance(to target: Int64) {
        while let event = events.first, event.time <= target {
            _ = events.popFirst()
            guard batches[event.batchIndex].generation == event.generation else { continue }
            step(event.batchIndex, at: event.time)
        }
        now = max(now, target)
    }

    private mutating func schedule(_ index: Int, at time: Int64) {
        events.push(time: time, batchIndex: index, generation: batches[index].generation)
    }

    private mutating func step(_ index: Int, at time: Int64) {
        var batch = batches[index]
        batch.invalidate()
        switch batch.status {
        case "validating":
            let scan = batch.plan.scan
            let baseModel = scan.model.map(ModelCatalog.baseName(of:)) ?? ""
            let limit = config.tokenLimit(for: baseModel)
            let enqueued = enqueuedTokens[baseModel, default: 0]
            if !scan.errors.isEmpty {
                batch.status = "failed"; batch.failedAt = time; batch.errors = scan.errors
            } else if enqueued + scan.inputTokens > limit {
                batch.status = "failed"; batch.failedAt = time
                batch.errors = [LineError(code: "token_limit_exceeded",
                    message: "Enqueued token limit reached for \(baseModel) in organization \(config.organizationID). Limit: \(limit) enqueued tokens. Please try again once some in_progress batches have been completed.",
                    param: nil, line: nil)]
            } else {
                batch.status = "in_progress"; batch.inProgressAt = time
                batch.model = ModelCatalog.snapshot(of: scan.model ?? "")
                batch.enqueued = true
                enqueuedTokens[baseModel, default: 0] += scan.inputTokens
                let finish = time + batch.plan.processingSeconds
                batches[index] = batch
                schedule(index, at: min(finish, batch.expiresAt))
                return
            }
        case "in_progress":
            let finishTime = (batch.inProgressAt ?? time) + batch.plan.processingSeconds
            if finishTime <= time, finishTime < batch.expiresAt {
                batch.status = "finalizing"; batch.finalizingAt = time
                batches[index] = batch
                schedule(index, at: time + batch.plan.finalizingSeconds)
                return
            }
            batch.status = "expired"; batch.expiredAt = batch.expiresAt
            finish(&batch, at: time, cutCode: "batch_expired")
        case "finalizing":
            batch.status = "completed"; batch.completedAt = time
            finish(&batch, at: time, cutCode: nil)
        case "cancelling":
            batch.status = "cancelled"; batch.cancelledAt = time
            finish(&batch, at: time, cutCode: "batch_cancelled")
        default:
            break
        }
        batches[index] = batch
    }

    /// Writes the output and error files of a batch reaching a terminal state, bills its finished work and
    /// frees its enqueued tokens.
    private mutating func finish(_ batch: inout StoredBatch, at time: Int64, cutCode: String?) {
        if batch.enqueued {
            let base = ModelCatalog.baseName(of: batch.model ?? "")
            enqueuedTokens[base, default: 0] -= batch.plan.scan.inputTokens
            batch.enqueued = false
        }
        guard batch.inProgressAt != nil else { return }
        let finished = batch.finishedCount(now: time)
        // Positions (into the plan) per destination file, shuffled: the service does not keep input order.
        var rng = SeededGenerator(seed: batch.plan.seed, stream: "output")
        var successes: [Int] = []
        var failures: [Int] = []
        for (position, request) in batch.plan.requests.enumerated() {
            if position < finished, !request.fails { successes.append(position) } else { failures.append(position) }
        }
        successes.shuffle(using: &rng)
        failures.shuffle(using: &rng)
        let expires = batch.outputExpiresAfter.map { time + $0 }
        let kind = UsageKind.of(endpoint: batch.endpoint)
        for position in successes {
            let request = batch.plan.requests[position]
            ledger.record(request.usage, at: (batch.inProgressAt ?? time) + request.finishOffset, kind: kind,
                          projectID: batch.projectID, apiKeyID: batch.apiKeyID, model: batch.model ?? "", batch: true)
        }
        if !successes.isEmpty {
            batch.outputFileID = writeFile(positions: successes, of: batch, finished: finished, cutCode: cutCode,
                                           name: "\(batch.id)_output.jsonl", at: time, expiresAt: expires, rng: &rng)
        }
        if !failures.isEmpty {
            batch.errorFileID = writeFile(positions: failures, of: batch, finished: finished, cutCode: cutCode,
                                          name: "\(batch.id)_error.jsonl", at: time, expiresAt: expires, rng: &rng)
        }
    }

    /// One output or error line for the request at `position`.
    private static func line(_ batch: StoredBatch, position: Int, finished: Int, cutCode: String?,
                             rng: inout SeededGenerator) -> String {
        let request = batch.plan.requests[position]
        let lineID = "batch_req_" + rng.token(32, alphabet: SeededGenerator.hex)
        let requestID = rng.token(32, alphabet: SeededGenerator.hex)
        let response: JSON
        var error = JSON.null
        if position >= finished {
            response = .null
            error = .object([("code", .string(cutCode ?? "batch_expired")), ("message", .string(cutCode == "batch_cancelled"
                ? "This request was not executed because the batch was cancelled."
                : "This request could not be executed before the completion window expired."))])
        } else if let rejection = request.rejection {
            response = .object([("status_code", .int(Int64(rejection.status))), ("request_id", .string(requestID)),
                                ("body", rejection.body)])
        } else if request.fails {
            response = .object([("status_code", .int(500)), ("request_id", .string(requestID)), ("body", APIError(
                status: 500, message: "The server had an error while processing your request. Sorry about that!",
                type: "server_error").body)])
        } else {
            // The same answer the plan priced when the batch was created.
            let format = batch.plan.scan.formats[request.format]
            let answer = SyntheticAnswer.make(endpoint: batch.endpoint, reasoning: ModelCatalog.isReasoning(batch.model ?? ""),
                                              format: format, maxOutput: request.maxOutputTokens, seed: request.answerSeed)
            let body = SyntheticResponses.body(endpoint: batch.endpoint, model: batch.model ?? "", usage: request.usage,
                                               answer: answer, format: format, maxOutput: request.maxOutputTokens,
                                               created: (batch.inProgressAt ?? 0) + request.finishOffset,
                                               hash: request.answerSeed, idSuffix: String(lineID.suffix(24)),
                                               inputCount: request.inputCount,
                                               dimensions: max(1, min(request.dimensions ?? 1536, 3072)))
            response = .object([("status_code", .int(200)), ("request_id", .string(requestID)), ("body", body)])
        }
        return JSON.object([("id", .string(lineID)), ("custom_id", .string(request.customID)), ("response", response),
                            ("error", error)]).encoded()
    }

    /// Writes the lines for `positions` straight to a new file, 1 MB at a time, and registers it.
    private mutating func writeFile(positions: [Int], of batch: StoredBatch, finished: Int, cutCode: String?,
                                    name: String, at time: Int64, expiresAt: Int64?, rng: inout SeededGenerator) -> String? {
        let id = newFileID()
        let path = directory.appendingPathComponent(id)
        guard FileManager.default.createFile(atPath: path.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: path) else { return nil }
        defer { try? handle.close() }
        var buffer = Data()
        var total: Int64 = 0
        for position in positions {
            buffer.append(contentsOf: Self.line(batch, position: position, finished: finished, cutCode: cutCode, rng: &rng).utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try? handle.write(contentsOf: buffer); total += Int64(buffer.count); buffer.removeAll(keepingCapacity: true)
            }
        }
        try? handle.write(contentsOf: buffer); total += Int64(buffer.count)
        insert(StoredFile(id: id, filename: name, purpose: "batch_output", bytes: total, createdAt: time,
                          expiresAt: expiresAt, path: path))
        return id
    }

    // MARK: Files

    mutating func newFileID() -> String { "file-" + ids.token(22, alphabet: SeededGenerator.base62) }

    mutating func insert(_ file: StoredFile) {
        files[file.id] = file
        fileOrder.append(file.id)
    }

    mutating func deleteFile(id: String) throws(APIError) {
        guard let file = files.removeValue(forKey: id) else { throw .notFound("No such File object: \(id)", param: "id") }
        fileOrder.removeAll { $0 == id }
        try? FileManager.default.removeItem(at: file.path)
    }

    func file(id: String) throws(APIError) -> StoredFile {
        guard let file = files[id] else { throw .notFound("No such File object: \(id)", param: "id") }
        return file
    }

    func listFiles(purpose: String?, limit: Int, ascending: Bool, after: String?) -> JSON {
        var ordered = fileOrder.compactMap { files[$0] }
        if let purpose { ordered = ordered.filter { $0.purpose == purpose } }
        if !ascending { ordered.reverse() }
        if let after, let position = ordered.firstIndex(where: { $0.id == after }) {
            ordered = Array(ordered[(position + 1)...])
        }
        let page = Array(ordered.prefix(limit))
        return .object([
            ("object", .string("list")), ("data", .array(page.map(\.json))),
            ("first_id", .string(page.first?.id)), ("last_id", .string(page.last?.id)),
            ("has_more", .bool(ordered.count > page.count)),
        ])
    }

    // MARK: Batches

    /// Checks what `POST /v1/batches` checks before a batch exists; returns the input file's path.
    func checkCreate(_ input: CreateBatchInput) throws(APIError) -> URL {
        guard let file = files[input.inputFileID] else {
            throw .invalid("No such File object: \(input.inputFileID)", param: "input_file_id")
        }
        guard file.purpose == "batch" else {
            throw .invalid("Invalid file purpose: '\(file.purpose)'. The input file must be uploaded with purpose 'batch'.",
                           param: "input_file_id", code: "invalid_value")
        }
        return file.path
    }

    /// Creates a batch from an already scanned input file; returns its index.
    mutating func createBatch(_ input: CreateBatchInput, scan: InputScan, at time: Int64,
                              overrides: BatchOverrides = BatchOverrides()) -> Int {
        let id = "batch_" + ids.token(32, alphabet: SeededGenerator.hex)
        var rng = SeededGenerator(seed: config.seed, stream: id)
        let planSeed = rng.next()
        let n = scan.errors.isEmpty ? scan.requests.count : 0
        let validation = overrides.validationSeconds ?? Int64(rng.int(in: config.validationSeconds))
        let perRequest = config.processingSecondsPerRequest.lowerBound
            + rng.unit() * (config.processingSecondsPerRequest.upperBound - config.processingSecondsPerRequest.lowerBound)
        let processing = overrides.processingSeconds
            ?? min(Int64(config.maxProcessingSeconds), Int64(rng.int(in: config.baseProcessingSeconds)) + Int64(perRequest * Double(n)))
        let finalizing = overrides.finalizingSeconds ?? Int64(rng.int(in: config.finalizingSeconds))
        let cancelling = overrides.cancellingSeconds ?? Int64(rng.int(in: config.cancellingSeconds))
        let failureRate = overrides.failureRate ?? config.requestFailureRate
        var planned: [PlannedRequest] = []
        if scan.errors.isEmpty {
            planned.reserveCapacity(n)
            let model = scan.model ?? ""
            let reasoning = ModelCatalog.isReasoning(model)
            for request in scan.requests {
                let offset = Int64(rng.int(in: 1...Int(max(1, processing))))
                let fails = request.rejection != nil || rng.unit() < failureRate
                let seed = fnv1a(withUnsafeBytes(of: request.contentHash.littleEndian) { Array($0) }, seed: config.seed)
                var usage = TokenCounts()
                if request.rejection == nil {
                    let answer = SyntheticAnswer.make(endpoint: input.endpoint, reasoning: reasoning,
                                                      format: scan.formats[request.format],
                                                      maxOutput: request.maxOutputTokens, seed: seed)
                    usage = SyntheticResponses.usage(endpoint: input.endpoint, model: model, inputTokens: request.inputTokens,
                                                     answer: answer, batch: true, prices: prices, rng: &rng)
                }
                planned.append(PlannedRequest(customID: request.customID, finishOffset: offset, fails: fails, usage: usage,
                                              answerSeed: seed, inputCount: request.inputCount,
                                              dimensions: request.dimensions, maxOutputTokens: request.maxOutputTokens,
                                              format: request.format, rejection: request.rejection))
            }
        }
        let plan = BatchPlan(scan: scan, validationSeconds: validation, processingSeconds: max(1, processing),
                             finalizingSeconds: finalizing, cancellingSeconds: cancelling, requests: planned, seed: planSeed)
        let batch = StoredBatch(id: id, endpoint: input.endpoint, inputFileID: input.inputFileID,
                                completionWindow: input.completionWindow, createdAt: time, expiresAt: time + 86_400,
                                metadata: input.metadata, outputExpiresAfter: input.outputExpiresAfter, plan: plan,
                                projectID: config.projectID, apiKeyID: apiKeyID)
        batches.append(batch)
        let index = batches.count - 1
        batchIndex[id] = index
        batchesCreated += 1
        schedule(index, at: time + validation)
        return index
    }

    mutating func batchJSON(index: Int) -> String { batches[index].encoded(now: now) }

    mutating func retrieveBatch(id: String) throws(APIError) -> String {
        guard let index = batchIndex[id] else { throw .notFound("No batch found with id '\(id)'.", param: "batch_id") }
        return batchJSON(index: index)
    }

    mutating func cancelBatch(id: String, at time: Int64) throws(APIError) -> String {
        guard let index = batchIndex[id] else { throw .notFound("No batch found with id '\(id)'.", param: "batch_id") }
        switch batches[index].status {
        case "validating", "in_progress", "finalizing":
            batches[index].status = "cancelling"
            batches[index].cancellingAt = time
            batches[index].generation += 1
            batches[index].invalidate()
            schedule(index, at: time + batches[index].plan.cancellingSeconds)
        case "cancelling":
            break
        case let status:
            throw .invalid("Cannot cancel a batch with status '\(status)'.", param: nil, code: "batch_not_cancellable")
        }
        return batchJSON(index: index)
    }

    /// One page of batches, newest first.
    mutating func listBatches(after: String?, limit: Int) -> String {
        var position = batches.count - 1
        if let after {
            guard let index = batchIndex[after] else {
                return #"{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}"#
            }
            position = index - 1
        }
        var parts: [String] = []
        parts.reserveCapacity(limit)
        var first: String?
        var last: String?
        while position >= 0, parts.count < limit {
            parts.append(batches[position].encoded(now: now))
            first = first ?? batches[position].id
            last = batches[position].id
            position -= 1
        }
        var out = #"{"object":"list","data":["#
        out += parts.joined(separator: ",")
        out += "],\"first_id\":" + JSON.string(first).encoded() + ",\"last_id\":" + JSON.string(last).encoded()
        out += ",\"has_more\":" + (position >= 0 ? "true" : "false") + "}"
        return out
    }

    // MARK: Real-time lane

    /// Bills one synchronous request.
    mutating func recordRealtime(endpoint: String, model: String, usage: TokenCounts, at time: Int64,
                                 projectID: String? = nil) {
        ledger.record(usage, at: time, kind: UsageKind.of(endpoint: endpoint), projectID: projectID ?? config.projectID,
                      apiKeyID: apiKeyID, model: model, batch: false)
    }
}
