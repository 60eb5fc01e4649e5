import Foundation
import GRDB
import Testing
import TestSupport
@testable import BatchKit

/// `batchtop jobs` and `batchtop job` run as real processes against a database the test writes.
@Suite final class StoreCommandsTests {
    let dir: URL
    let db: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("commands")
        db = dir.appendingPathComponent("batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    typealias Run = BatchtopProcess.Run

    func batchtop(_ arguments: [String]) throws -> Run {
        try BatchtopProcess.run(arguments, environment: ["XDG_DATA_HOME": dir.appendingPathComponent("xdg").path])
    }

    func seed() throws -> [Batch] {
        var evil = BatchFixtures.batch(3, status: .failed, workload: "=HYPERLINK(\"http://x\")\u{1B}]0;owned\u{7}")
        evil.errors = [BatchErrorItem(code: "token_limit_exceeded", message: "Enqueued token limit reached\u{1B}[2J", line: 2)]
        let batches = [
            BatchFixtures.batch(1, status: .completed, completed: 10, workload: "alpha"),
            BatchFixtures.batch(2, status: .inProgress, completed: 4, failed: 1, workload: "beta"),
            evil,
            BatchFixtures.batch(4, status: BatchStatus("paused_for_review"), workload: "alpha"),
        ]
        let store = try BatchStore(url: db)
        try store.applyCycle(batches, observedAt: 1_767_000_100)
        return batches
    }

    @Test func jobsTableIsSanitizedAndFiltered() throws {
        _ = try seed()
        let run = try batchtop(["jobs", "--db", db.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(run.stdout.hasPrefix("STATUS"))
        #expect(run.stdout.contains("? paused_for_review"))
        #expect(run.stdout.contains("▶ in_progress"))
        #expect(run.stdout.contains("4/1/10"))
        #expect(run.stdout.contains("4 jobs"))
        let alpha = try batchtop(["jobs", "--db", db.path, "--workload", "alpha", "--ascii"])
        #expect(alpha.stdout.split(separator: "\n").count == 4)  // header, 2 rows, footer
        #expect(alpha.stdout.contains("+ completed"))
    }

    @Test func jobsCSVQuotesDefusesFormulasAndWritesUTCDates() throws {
        let batches = try seed()
        let run = try batchtop(["jobs", "--csv", "--db", db.path])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "status,id,workload,lane,model,endpoint,completed,failed,total,created_at,expires_at,cancel_requested_at")
        #expect(lines.count == 5)
        let evil = try #require(lines.first { $0.hasPrefix("failed,") })
        #expect(evil.contains(#""'=HYPERLINK(""http://x"")""#), "formula defused, the OSC removed whole")
        let oracle = ISO8601DateFormatter()
        let created = oracle.string(from: Date(timeIntervalSince1970: TimeInterval(batches[0].createdAt)))
        #expect(lines.contains { $0.hasPrefix("completed,batch_00000001,alpha,") && $0.contains(",\(created),") })
    }

    @Test func jobsJSONFiltersAndKeepsTheContract() throws {
        let batches = try seed()
        let run = try batchtop(["jobs", "--json", "--db", db.path, "--status", "in_progress,paused_for_review", "--since", String(batches[1].createdAt)])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "batchtop.jobs/v1")
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        #expect(jobs.compactMap { $0["id"] as? String } == ["batch_00000004", "batch_00000002"])
        #expect((jobs[1]["batch"] as? [String: Any])?["request_counts"] as? [String: Int] == ["total": 10, "completed": 4, "failed": 1])
    }

    @Test func jobShowsFieldsTimelineErrorsSanitizedAndJSON() throws {
        _ = try seed()
        let text = try batchtop(["job", "batch_00000003", "--db", db.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        for needle in ["job batch_00000003", "✖ failed", "timeline", "first seen ✖ failed", "batch errors", "line 2: token_limit_exceeded", "files"] {
            #expect(text.stdout.contains(needle), "missing \(needle)")
        }
        let json = try batchtop(["job", "batch_00000002", "--json", "--db", db.path])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "batchtop.job/v1")
        #expect((object["transitions"] as? [[String: Any]])?.first?["to"] as? String == "in_progress")
    }

    @Test(arguments: [
        (["jobs", "--json", "--csv"], "exclusive"),
        (["jobs", "--since", "soon"], "--since \"soon\" is not understood"),
        (["jobs", "--lane", "flex"], "is not a lane"),
        (["jobs", "--status", "done;rm"], "is not a status"),
        (["job", "batch_nope"], "no job \"batch_nope\""),
    ])
    func badInputGetsAClearErrorNotACrash(arguments: [String], message: String) throws {
        _ = try seed()
        let run = try batchtop(arguments + ["--db", db.path])
        #expect(run.status != 0)
        #expect(run.status < 128, "crashed with signal")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func missingAndNewerDatabasesAreExplained() throws {
        let missing = try batchtop(["jobs"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no database at \(dir.path)/xdg/batchtop/batchtop.sqlite"))
        _ = try seed()
        try DatabaseQueue(path: db.path).write { try $0.execute(sql: "PRAGMA user_version = 9") }
        let newer = try batchtop(["jobs", "--db", db.path])
        #expect(newer.status == 1)
        #expect(newer.stderr.contains("was written by a newer batchtop (schema 9, this build knows \(BatchStore.knownSchemaVersion))"))
    }
}
