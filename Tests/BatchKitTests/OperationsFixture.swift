import BatchEmulator
import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// An in-process emulator, a real client, a temporary store and an `OperationsService` acting as `ana`.
final class OperationsFixture: Sendable {
    let harness: EmulatorHarness
    let client: OpenAIClient
    let dir: URL
    let store: BatchStore
    let requestIDs = RequestIDLog()
    let settings: OperationsSettings

    init(approvers: [String] = ["ana", "ben"], allowSelfApproval: Bool = false,
         configure: (inout EmulatorConfig) -> Void = { $0.requestFailureRate = 0 }) async throws {
        harness = try await EmulatorHarness.start(configure: configure)
        dir = try BatchFixtures.temporaryDirectory("ops")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        let log = requestIDs
        client = OpenAIClient(
            options: OpenAIClientOptions(baseURL: harness.baseURL, apiKey: Secret(harness.projectKey), timeoutSeconds: 10,
                                         retry: RetryPolicy(maxRetries: 2, random: { 0 }), stagingDirectory: dir.appendingPathComponent("tmp")),
            sleeper: RetrySleeper { _ in }, clock: harness.clock, observer: { log.observe($0) })
        settings = OperationsSettings(approvers: approvers, allowSelfApproval: allowSelfApproval,
                                      policy: RoutingPolicy(rules: [RoutingRule(workload: "chat-*", urgencyClass: .interactive)]))
    }

    func service(_ actor: String = "ana", readOnly: Bool = false, api: (any BatchAPI)?? = nil) -> OperationsService {
        OperationsService(store: store, api: api ?? client, clock: harness.clock, actor: actor, settings: settings,
                          prices: try! PriceTable.shippedDefault(), dataDirectory: dir, readOnly: readOnly, requestIDs: requestIDs)
    }

    func stop() async {
        await harness.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    static func chatLines(_ n: Int, prefix: String = "req") -> String {
        (1...n).map {
            #"{"custom_id":"\#(prefix)-\#($0)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"question \#($0)"}]}}"#
        }.joined(separator: "\n") + "\n"
    }

    /// Uploads `n` chat requests and creates a batch; stores it as the sync would.
    func submit(_ n: Int, workload: String = "nightly-eval") async throws -> Batch {
        let file = dir.appendingPathComponent("input-\(UUID().uuidString).jsonl")
        try Data(Self.chatLines(n).utf8).write(to: file)
        let uploaded = try await client.uploadFile(at: file, purpose: "batch")
        let batch = try await client.createBatch(CreateBatchRequest(inputFileID: uploaded.id, endpoint: "/v1/chat/completions",
                                                                    metadata: ["workload": workload]))
        try store.recordObservedBatch(batch, observedAt: harness.clock.unixNow())
        return batch
    }

    /// Polls one batch into the store (what a sync cycle does for it).
    @discardableResult
    func sync(_ id: String) async throws -> Batch {
        let batch = try await client.retrieveBatch(id: id)
        try store.recordObservedBatch(batch, observedAt: harness.clock.unixNow())
        return batch
    }

    /// Advances simulated time until the batch reaches `status`, syncing it.
    @discardableResult
    func advance(_ id: String, until status: BatchStatus, step: Double = 60, limit: Double = 300_000) async throws -> Batch {
        var elapsed = 0.0
        while elapsed <= limit {
            let batch = try await sync(id)
            if batch.status == status { return batch }
            harness.advance(seconds: step)
            elapsed += step
        }
        throw OperationError.invalidInput("batch \(id) never reached \(status)")
    }

    /// Custom ids of a JSONL file.
    static func customIDs(_ url: URL) throws -> [String] { try BatchFileLines.read(url).lines.map(\.customID) }
}
