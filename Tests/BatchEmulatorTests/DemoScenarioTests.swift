import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Demo scenario")
struct DemoScenarioTests {
    @Test("every status, the special batches, workloads in metadata, a week of usage in both lanes, live progress")
    func demo() async throws {
        try await withEmulator(scenario: .demo) { harness, client async throws in
            let now = harness.server.now()
            var batches: [[String: Any]] = []
            var after: String?
            repeat {
                let page = try await client.send("GET", "/batches?limit=100" + (after.map { "&after=\($0)" } ?? "")).json
                batches += (page["data"] as? [[String: Any]]) ?? []
                after = page["has_more"] as? Bool == true ? page.string("last_id") : nil
            } while after != nil
            let rows = batches.map(Row.init)
            let statuses = Set(rows.map(\.status))
            #expect(statuses == ["validating", "in_progress", "finalizing", "completed", "failed", "expired", "cancelling", "cancelled"])
            #expect(rows.allSatisfy { $0.workload != nil })
            let workloads = Set(rows.compactMap(\.workload))
            #expect(workloads == ["nightly-eval", "moderation-backfill", "support-summaries", "embeddings-refresh"])
            let withDeadline = rows.filter { $0.deadline != nil }.count
            #expect(withDeadline > 0)

            let nearExpiry = rows.filter { $0.status == "in_progress" && $0.expiresAt - now < 3_600 }
            #expect(nearExpiry.count == 1)
            let allFailed = rows.filter { $0.status == "completed" && !$0.hasOutput && $0.hasErrorFile && $0.completed == 0 }
            #expect(allFailed.count == 1)
            let errorCodes = Set(rows.flatMap(\.errorCodes))
            #expect(errorCodes.isSuperset(of: ["token_limit_exceeded", "duplicate_custom_id", "invalid_url"]))

            let live = rows.filter { $0.status == "in_progress" }
            harness.advance(seconds: 600)
            for batch in live {
                let later = Row(try await client.batch(batch.id))
                #expect(later.completed + later.failed >= batch.completed + batch.failed)
            }
            harness.advance(seconds: 3_600)
            let expired = Row(try await client.batch(nearExpiry.first?.id ?? "")).status
            #expect(expired == "expired")

            let week = now - 7 * 86_400
            let usage = try await client.send("GET", "/organization/usage/completions?start_time=\(week)&limit=8&group_by[]=batch", key: .admin).json
            let days = (usage["data"] as? [[String: Any]]) ?? []
            let lanesPerDay: [Set<Bool>] = days.dropLast().map { Set((($0["results"] as? [[String: Any]]) ?? []).compactMap { $0["batch"] as? Bool }) }
            #expect(lanesPerDay.count == 7)
            #expect(lanesPerDay.allSatisfy { $0 == [true, false] }, "both lanes every day of the week")
            let costs = try await client.send("GET", "/organization/costs?start_time=\(week)&group_by[]=project_id", key: .admin).json
            let projects: Set<String> = Set(((costs["data"] as? [[String: Any]]) ?? []).flatMap { (($0["results"] as? [[String: Any]]) ?? []).compactMap { $0.string("project_id") } })
            #expect(projects == ["proj_emulator", "proj_sandbox"])
        }
    }
}

/// The parts of a Batch object the demo test looks at, as plain Sendable values.
private struct Row: Sendable {
    var id: String
    var status: String
    var workload: String?
    var deadline: String?
    var expiresAt: Int64
    var hasOutput: Bool
    var hasErrorFile: Bool
    var completed: Int
    var failed: Int
    var errorCodes: [String]

    init(_ batch: [String: Any]) {
        id = batch.string("id") ?? ""
        status = batch.string("status") ?? ""
        workload = batch.object("metadata").string("workload")
        deadline = batch.object("metadata").string("deadline")
        expiresAt = Int64(batch.int("expires_at") ?? 0)
        hasOutput = batch.string("output_file_id") != nil
        hasErrorFile = batch.string("error_file_id") != nil
        completed = batch.object("request_counts").int("completed") ?? 0
        failed = batch.object("request_counts").int("failed") ?? 0
        errorCodes = ((batch.object("errors")["data"] as? [[String: Any]]) ?? []).compactMap { $0.string("code") }
    }
}
