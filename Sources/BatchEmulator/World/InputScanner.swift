import Foundation

/// One valid input line, reduced to what the simulation needs.
struct ScannedRequest: Sendable {
    var customID: String
    var inputTokens: Int
    var maxOutputTokens: Int?
    /// Embedding inputs in this line (1 for other endpoints).
    var inputCount: Int
    /// Hash of the line's body, so synthetic answers follow the content.
    var contentHash: UInt64
    /// Requested embedding dimensions, if any.
    var dimensions: Int?
    /// Index into `InputScan.formats` of the answer format the body asks for.
    var format = 0
    /// Why the service would refuse this request when it runs (a bad `response_format`, say): a 400 line.
    var rejection: APIError?
}

/// What validating an input file found.
struct InputScan: Sendable {
    var requests: [ScannedRequest] = []
    /// The model named by the lines (base name as written).
    var model: String?
    var errors: [LineError] = []
    /// The distinct answer formats of the lines, prose first; lines point into it, so 50,000 lines asking
    /// for one schema keep one copy.
    var formats: [AnswerFormat] = [.text]
    var inputTokens: Int { requests.reduce(0) { $0 + $1.inputTokens } }
}

/// Validates a batch input file line by line, streaming from disk, the way the service does during `validating`.
enum InputScanner {
    /// At most this many errors are reported, like the service's truncated error lists.
    static let maxReportedErrors = 100

    static func scan(file: URL, endpoint: String, maxLines: Int, maxBytes: Int64, maxEmbeddingInputs: Int = 50_000) -> InputScan {
        var scan = InputScan()
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
        if size > maxBytes {
            scan.errors.append(LineError(code: "file_too_large",
                message: "The input file is \(size) bytes, above the \(maxBytes)-byte limit for batch input files.",
                param: nil, line: nil))
            return scan
        }
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            scan.errors.append(LineError(code: "file_unreadable", message: "The input file could not be read.", param: nil, line: nil))
            return scan
        }
        defer { try? handle.close() }

        var seen = Set<String>()
        var lineNumber = 0
        var nonEmptyLines = 0
        var embeddingInputs = 0
        var carry = Data()
        var stop = false
        var formatIndex: [String: Int] = [:]
        var lastFormat = 0

        func fail(_ code: String, _ message: String, param: String?, line: Int?) {
            if scan.errors.count < maxReportedErrors {
                scan.errors.append(LineError(code: code, message: message, param: param, line: line))
            }
        }

        func process(_ line: Data) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            nonEmptyLines += 1
            if nonEmptyLines > maxLines {
                fail("too_many_requests", "The input file has more than \(maxLines) requests, the maximum for one batch.",
                     param: nil, line: lineNumber)
                stop = true
                return
            }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                fail("invalid_json_line", "This line is not parseable as valid JSON.", param: nil, line: lineNumber)
                return
            }
            guard let customID = object["custom_id"] as? String, !customID.isEmpty else {
                fail("missing_custom_id", "The custom_id for this request is missing.", param: "custom_id", line: lineNumber)
                return
            }
            guard !seen.contains(customID) else {
                fail("duplicate_custom_id",
                     "The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.",
                     param: "custom_id", line: lineNumber)
                return
            }
            seen.insert(customID)
            guard (object["method"] as? String) == "POST" else {
                fail("invalid_method", "The method for this request must be POST.", param: "method", line: lineNumber)
                return
            }
            guard (object["url"] as? String) == endpoint else {
                fail("invalid_url", "The URL provided for this request does not match the batch endpoint (\(endpoint)).",
                     param: "url", line: lineNumber)
                return
            }
            guard let body = object["body"] as? [String: Any] else {
                fail("missing_required_parameter", "The body for this request is missing or not an object.", param: "body", line: lineNumber)
                return
            }
            guard let model = body["model"] as? String, !model.isEmpty else {
                fail("missing_required_parameter", "The model for this request is missing.", param: "body.model", line: lineNumber)
                return
            }
            if let first = scan.model, first != model {
                fail("mismatched_model",
                     "The provided model '\(model)' does not match the model '\(first)' of the earlier requests. All requests in a batch must use the same model.",
                     param: "body.model", line: lineNumber)
                return
            }
            scan.model = scan.model ?? model
            let inputs = TokenEstimator.inputCount(body)
            if inputs > TokenEstimator.maxInputsPerRequest {
                fail("too_many_inputs", "A request may embed at most \(TokenEstimator.maxInputsPerRequest) inputs.",
                     param: "body.input", line: lineNumber)
                return
            }
            if endpoint == "/v1/embeddings" {
                embeddingInputs += inputs
                if embeddingInputs > maxEmbeddingInputs {
                    fail("too_many_inputs", "The batch has more than \(maxEmbeddingInputs) embedding inputs in total.",
                         param: "body.input", line: lineNumber)
                    stop = true
                    return
                }
            }
            var request = ScannedRequest(customID: customID, inputTokens: TokenEstimator.inputTokens(body),
                                         maxOutputTokens: nil, inputCount: inputs,
                                         contentHash: fnv1a(line), dimensions: body["dimensions"] as? Int)
            // The service checks the body when the request runs, not during validation: a bad one is a 400 line.
            do throws(APIError) {
                request.maxOutputTokens = try SyntheticAnswer.maxOutputTokens(body, endpoint: endpoint)
                let format = try AnswerFormat.of(body, endpoint: endpoint)
                if format == .text {
                    request.format = 0
                } else if format == scan.formats[lastFormat] {
                    // Most files ask every line for the same schema: comparing beats encoding a key.
                    request.format = lastFormat
                } else {
                    let key = format.responsesJSON.encoded()
                    if let index = formatIndex[key] {
                        request.format = index
                    } else {
                        request.format = scan.formats.count
                        formatIndex[key] = scan.formats.count
                        scan.formats.append(format)
                    }
                    lastFormat = request.format
                }
            } catch {
                request.rejection = error
            }
            scan.requests.append(request)
        }

        while !stop {
            guard let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            carry.append(chunk)
            var start = carry.startIndex
            while !stop, let newline = carry[start...].firstIndex(of: 0x0A) {
                process(carry[start..<newline])
                start = carry.index(after: newline)
            }
            carry = Data(carry[start...])
        }
        if !stop, !carry.isEmpty { process(carry) }
        if scan.errors.isEmpty, scan.requests.isEmpty {
            fail("empty_file", "The batch input file is empty.", param: nil, line: nil)
        }
        return scan
    }
}
