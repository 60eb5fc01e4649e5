import FlyingFox
import Foundation

extension EmulatorHandler {
    /// Checks a `POST /v1/batches` body the way the service does, parameter by parameter.
    static func parseCreate(_ body: [String: Any]) throws(APIError) -> CreateBatchInput {
        guard let fileID = body["input_file_id"] as? String, !fileID.isEmpty else { throw APIError.missing("input_file_id") }
        guard let endpoint = body["endpoint"] as? String else { throw APIError.missing("endpoint") }
        guard SyntheticResponses.batchEndpoints.contains(endpoint) else {
            throw APIError.invalid("Invalid value for 'endpoint': '\(endpoint)'. Supported values are: \(SyntheticResponses.batchEndpoints.joined(separator: ", ")).",
                                   param: "endpoint", code: "invalid_value")
        }
        guard let window = body["completion_window"] as? String else { throw APIError.missing("completion_window") }
        guard window == "24h" else {
            throw APIError.invalid("Invalid value for 'completion_window': '\(window)'. Supported values are: '24h'.",
                                   param: "completion_window", code: "invalid_value")
        }
        var metadata: [String: String]?
        if let raw = body["metadata"], !(raw is NSNull) {
            guard let object = raw as? [String: Any] else {
                throw APIError.invalid("Invalid type for 'metadata': expected an object of strings.", param: "metadata", code: "invalid_type")
            }
            guard object.count <= 16 else {
                throw APIError.invalid("Invalid 'metadata': at most 16 key-value pairs, got \(object.count).", param: "metadata", code: "invalid_value")
            }
            var pairs: [String: String] = [:]
            for (key, value) in object {
                guard key.count <= 64 else {
                    throw APIError.invalid("Invalid 'metadata': key '\(key.prefix(70))' is longer than 64 characters.", param: "metadata", code: "invalid_value")
                }
                guard let text = value as? String else {
                    throw APIError.invalid("Invalid type for 'metadata.\(key)': expected a string.", param: "metadata.\(key)", code: "invalid_type")
                }
                guard text.count <= 512 else {
                    throw APIError.invalid("Invalid 'metadata': the value of '\(key)' is longer than 512 characters.", param: "metadata.\(key)", code: "invalid_value")
                }
                pairs[key] = text
            }
            metadata = pairs
        }
        var outputExpiresAfter: Int64?
        if let raw = body["output_expires_after"], !(raw is NSNull) {
            outputExpiresAfter = try ExpiresAfterPolicy.seconds(json: raw, param: "output_expires_after")
        }
        return CreateBatchInput(inputFileID: fileID, endpoint: endpoint, completionWindow: window,
                                metadata: metadata, outputExpiresAfter: outputExpiresAfter)
    }

    /// `POST /v1/batches`: checks, scans the input file outside the lock, then creates the batch in `validating`.
    func createBatch(_ body: [String: Any]) async throws(APIError) -> HTTPResponse {
        let input = try Self.parseCreate(body)
        let path = try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> URL in try world.checkCreate(input) }
        let config = engine.config
        let scan = InputScanner.scan(file: path, endpoint: input.endpoint, maxLines: config.maxRequestsPerBatch,
                                     maxBytes: config.maxBatchFileBytes)
        let text = try engine.withWorld { world in
            world.batchJSON(index: world.createBatch(input, scan: scan, at: world.now))
        }
        return Self.json(text)
    }

    func listBatches(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let limit = try Self.intQuery(request, "limit", default: 20, range: 1...100)
        let after = Self.query(request, "after")
        return Self.json(try engine.withWorld { $0.listBatches(after: after, limit: limit) })
    }

    func retrieveBatch(_ id: String) throws(APIError) -> HTTPResponse {
        Self.json(try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> String in try world.retrieveBatch(id: id) })
    }

    func cancelBatch(_ id: String) throws(APIError) -> HTTPResponse {
        Self.json(try engine.withWorld { (world: inout EmulatorWorld) throws(APIError) -> String in
            try world.cancelBatch(id: id, at: world.now)
        })
    }
}
