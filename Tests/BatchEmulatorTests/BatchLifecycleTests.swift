import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Batch life cycle")
struct BatchLifecycleTests {
    static let timestampFields = ["in_progress_at", "finalizing_at", "completed_at", "failed_at", "expired_at",
                                  "cancelling_at", "cancelled_at"]
    static let allFields = ["id", "object", "endpoint", "model", "errors", "input_file_id", "completion_window", "status",
                            "output_file_id", "error_file_id", "created_at", "in_progress_at", "expires_at", "finalizing_at",
                            "completed_at", "failed_at", "expired_at", "cancelling_at", "cancelled_at", "request_counts",
                            "usage", "metadata"]

    /// Advances in small steps until the batch reaches `status` (or gives up after `limit` simulated seconds).
    static func advance(_ harness: EmulatorHarnessRef, _ client: HTTPTestClient, _ id: String, until status: String,
                        step: Double = 60, limit: Double = 200_000) async throws -> [String: Any] {
        var elapsed = 0.0
        while elapsed <= limit {
            let batch = try await client.batch(id)
            if batch.string("status") == status { return batch }
            harness.advance(seconds: step)
            elapsed += step
        }
        throw TestClientError(description: "batch \(id) never reached \(status)")
    }

    @Test("validating -> in_progress -> finalizing -> completed, every field present, usage summed from lines",
          arguments: [
            (endpoint: "/v1/chat/completions", usageIn: "prompt_tokens", usageOut: "completion_tokens"),
            (endpoint: "/v1/responses", usageIn: "input_tokens", usageOut: "output_tokens"),
            (endpoint: "/v1/embeddings", usageIn: "prompt_tokens", usageOut: ""),
          ])
    func completes(endpoint: String, usageIn: String, usageOut: String) async throws {
        let lines = endpoint == "/v1/responses" ? Lines.responses(40)
            : endpoint == "/v1/embeddings" ? Lines.embeddings(40) : Lines.chat(40)
        try await withEmulator { harness, client async throws in
            let created = try await client.submit(lines, endpoint: endpoint, metadata: ["workload": "tests"])
            let id = try #require(created.string("id"))
            for field in Self.allFields { #expect(created[field] != nil, "missing \(field)") }
            #expect(created.string("object") == "batch")
            #expect(created.string("status") == "validating")
            #expect(created.isNull("model") && created.isNull("errors") && created.isNull("output_file_id"))
            for field in Self.timestampFields { #expect(created.isNull(field), "\(field) set while validating") }
            #expect(created.int("expires_at") == created.n("created_at") + 86_400)
            #expect(created.object("request_counts").int("total") == 0)
            #expect(created.object("metadata").string("workload") == "tests")

            let running = try await Self.advance(harness, client, id, until: "in_progress", step: 10)
            #expect(running.object("request_counts").int("total") == 40)
            #expect(running.string("model")?.isEmpty == false)
            #expect(running.int("in_progress_at") != nil)
            let finalizing = try await Self.advance(harness, client, id, until: "finalizing")
            #expect(finalizing.int("finalizing_at") != nil && finalizing.isNull("output_file_id"))
            let done = try await Self.advance(harness, client, id, until: "completed")
            #expect(done.n("completed_at") >= done.n("finalizing_at"))

            let counts = done.object("request_counts")
            let outputID = try #require(done.string("output_file_id"))
            let output = try await client.content(outputID)
            let errors = try await (done.string("error_file_id")).asyncMap { try await client.content($0) } ?? []
            #expect(output.count == counts.int("completed"))
            #expect(errors.count == counts.int("failed"))
            let ids = Set((output + errors).compactMap { $0.string("custom_id") })
            #expect(ids.count == 40, "every request answered exactly once")
            #expect(output.allSatisfy { $0.string("id")?.hasPrefix("batch_req_") == true && $0.isNull("error") })
            #expect(output.allSatisfy { $0.object("response").int("status_code") == 200 })
            #expect(errors.allSatisfy { $0.object("response").int("status_code") == 500 })

            let usages = output.map { $0.object("response").object("body").object("usage") }
            let usage = done.object("usage")
            #expect(usages.reduce(0) { $0 + ($1.int(usageIn) ?? -1_000_000) } == usage.int("input_tokens"))
            if !usageOut.isEmpty {
                #expect(usages.reduce(0) { $0 + ($1.int(usageOut) ?? -1_000_000) } == usage.int("output_tokens"))
                #expect((usage.int("output_tokens") ?? 0) > 0)
            } else {
                #expect(usage.int("output_tokens") == 0)
                #expect(usages.allSatisfy { $0.int("total_tokens") == $0.int("prompt_tokens") })
            }
            #expect(usage.int("total_tokens") == usage.n("input_tokens") + usage.n("output_tokens"))
            let order = output.compactMap { $0.string("custom_id") }
            #expect(order != order.sorted { Int($0.split(separator: "-")[1])! < Int($1.split(separator: "-")[1])! },
                    "output lines are shuffled")
            let outputFile = try await client.send("GET", "/files/\(outputID)").json
            #expect(outputFile.string("purpose") == "batch_output")
        }
    }

    @Test("a batch whose requests all fail completes with only an error file")
    func allFailed() async throws {
        try await withEmulator(configure: { $0.requestFailureRate = 1 }) { harness, client async throws in
            let id = try #require(try await client.submit(Lines.chat(10)).string("id"))
            let done = try await Self.advance(harness, client, id, until: "completed")
            #expect(done.isNull("output_file_id"))
            let errorID = try #require(done.string("error_file_id"))
            #expect(done.object("request_counts").int("completed") == 0)
            #expect(done.object("request_counts").int("failed") == 10)
            #expect(try await client.content(errorID).count == 10)
            #expect(done.object("usage").int("input_tokens") == 0)
        }
    }

    @Test("expiry at 24 h returns finished work and batch_expired lines for the rest")
    func expires() async throws {
        try await withEmulator(configure: {
            $0.baseProcessingSeconds = 172_800...172_800
            $0.maxProcessingSeconds = 172_800
            $0.requestFailureRate = 0
        }) { harness, client async throws in
            let created = try await client.submit(Lines.chat(50))
            let id = try #require(created.string("id"))
            let expired = try await Self.advance(harness, client, id, until: "expired", step: 3_600)
            #expect(expired.int("expired_at") == created.int("expires_at"))
            let counts = expired.object("request_counts")
            let finished = counts.n("completed")
            #expect(finished > 0 && finished < 50, "partial results")
            #expect(try await client.content(try #require(expired.string("output_file_id"))).count == finished)
            let errors = try await client.content(try #require(expired.string("error_file_id")))
            #expect(errors.count == 50 - finished)
            #expect(errors.allSatisfy { $0.isNull("response") && $0.object("error").string("code") == "batch_expired" })
        }
    }

    @Test("cancel: cancelling for a while, then cancelled with partial results")
    func cancels() async throws {
        try await withEmulator(configure: { $0.requestFailureRate = 0; $0.baseProcessingSeconds = 7_200...7_200 }) { harness, client async throws in
            let id = try #require(try await client.submit(Lines.chat(30)).string("id"))
            _ = try await Self.advance(harness, client, id, until: "in_progress", step: 10)
            harness.advance(seconds: 3_000)
            let cancelling = try await client.send("POST", "/batches/\(id)/cancel")
            #expect(cancelling.status == 200)
            #expect(cancelling.json.string("status") == "cancelling")
            #expect(cancelling.json.int("cancelling_at") != nil)
            #expect(try await client.send("POST", "/batches/\(id)/cancel").json.string("status") == "cancelling",
                    "cancelling again is harmless")
            let cancelled = try await Self.advance(harness, client, id, until: "cancelled", step: 30)
            #expect(cancelled.n("cancelled_at") >= cancelled.n("cancelling_at"))
            let finished = cancelled.object("request_counts").n("completed")
            #expect(finished > 0 && finished < 30)
            let errors = try await client.content(try #require(cancelled.string("error_file_id")))
            #expect(errors.count == 30 - finished)
            #expect(errors.allSatisfy { $0.object("error").string("code") == "batch_cancelled" })
            let again = try await client.send("POST", "/batches/\(id)/cancel")
            #expect(again.status == 400)
            #expect(try await client.send("POST", "/batches/batch_nope/cancel").status == 404)
        }
    }

    @Test("cancel while validating ends cancelled with nothing run")
    func cancelWhileValidating() async throws {
        try await withEmulator { harness, client async throws in
            let id = try #require(try await client.submit(Lines.chat(5)).string("id"))
            #expect(try await client.send("POST", "/batches/\(id)/cancel").json.string("status") == "cancelling")
            let cancelled = try await Self.advance(harness, client, id, until: "cancelled", step: 60)
            #expect(cancelled.object("request_counts").int("total") == 0)
            #expect(cancelled.isNull("output_file_id") && cancelled.isNull("error_file_id") && cancelled.isNull("in_progress_at"))
        }
    }
}

typealias EmulatorHarnessRef = TestSupport.EmulatorHarness

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
