/// Scenario-only knobs that pin a batch's schedule instead of drawing it from the seed.
struct BatchOverrides: Sendable {
    var validationSeconds: Int64?
    var processingSeconds: Int64?
    var finalizingSeconds: Int64?
    var cancellingSeconds: Int64?
    var failureRate: Double?
}

/// A validated `POST /v1/batches` body.
struct CreateBatchInput: Sendable {
    var inputFileID: String
    var endpoint: String
    var completionWindow: String
    var metadata: [String: String]?
    var outputExpiresAfter: Int64?
}
