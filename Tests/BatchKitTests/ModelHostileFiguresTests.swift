import Foundation
import Testing
@testable import BatchKit

/// Absurd figures from a hostile or broken provider are clamped where a batch is decoded, so the code that
/// computes with them answers instead of trapping (found by the API fuzz target; inputs kept as
/// Fuzz/corpus/api/regression-*).
@Suite struct ModelHostileFiguresTests {
    static let now: Int64 = 1_767_225_600
    /// `Batch.latestTimestamp` and `RequestCounts.maxRequestCount`, spelled out so the test builds without the fix.
    static let latest: Int64 = 253_402_300_799
    static let maxCount = 10_000_000

    func decode(_ json: String) throws -> Batch {
        try JSONDecoder().decode(Batch.self, from: Data(json.utf8))
    }

    /// Each of these trapped (arithmetic overflow) in JobETA, Advisor or the store's JSON writer before the clamp.
    @Test(arguments: [
        #"{"id":"b","status":"in_progress","created_at":9223372036854775807}"#,
        #"{"id":"b","status":"in_progress","created_at":-9223372036854775808,"expires_at":-1}"#,
        #"{"id":"b","status":"completed","usage":{"input_tokens":9223372036854775807,"output_tokens":1}}"#,
        #"{"id":"b","status":"in_progress","in_progress_at":0,"request_counts":{"total":9223372036854775807,"completed":1,"failed":0}}"#,
        #"{"id":"b","status":"in_progress","in_progress_at":0,"request_counts":{"total":5,"completed":-9223372036854775807,"failed":-9}}"#,
    ])
    func absurdFiguresAreClampedNotFatal(_ json: String) throws {
        let batch = try decode(json)
        for t in [batch.createdAt, batch.inProgressAt ?? 0, batch.expiresAt ?? 0] {
            try #require((-Self.latest...Self.latest).contains(t))
        }
        let counts = batch.requestCounts
        for n in [counts.total, counts.completed, counts.failed] { try #require((0...Self.maxCount).contains(n)) }
        // The readers of a batch's figures, at now and at the batch's own (clamped) times.
        let job = Job(batch: batch, firstSeenAt: 0, lastPolledAt: 0)
        for t in [Self.now, batch.createdAt, Self.latest, -Self.latest] {
            let forecast = JobForecast(job, now: t)
            _ = (forecast.remaining, forecast.passesExpiry, forecast.release, forecast.rateNote)
        }
        let stored = BatchJSONWriter.encode(batch)
        #expect(try decode(stored) == batch)
    }

    @Test func limitsAreTheDocumentedOnes() {
        #expect(Batch.latestTimestamp == Self.latest && RequestCounts.maxRequestCount == Self.maxCount)
    }

    /// Without the fix this traps (arithmetic overflow), as the store's JSON writer did on such a batch.
    @Test func totalTokensSaturates() {
        #expect(TokenUsage(inputTokens: .max, outputTokens: 1).totalTokens == .max)
    }

    @Test func ordinaryFiguresAreKept() throws {
        let batch = try decode(#"{"id":"b","status":"in_progress","created_at":1767225600,"in_progress_at":1767225630,"expires_at":1767312000,"request_counts":{"total":50000,"completed":10,"failed":2},"usage":{"input_tokens":100,"output_tokens":20}}"#)
        #expect(batch.createdAt == 1_767_225_600 && batch.inProgressAt == 1_767_225_630 && batch.expiresAt == 1_767_312_000)
        #expect(batch.requestCounts == RequestCounts(total: 50_000, completed: 10, failed: 2))
        #expect(batch.usage == TokenUsage(inputTokens: 100, outputTokens: 20))
    }
}
