import BatchKit
import Foundation
import Testing
import TestSupport
@testable import Dashboard

/// Cancel and resubmit give the same verdict, in the same words, from the dashboard's reducer and from
/// `OperationsService` (what `batchtop cancel` / `resubmit` run): both ask `ActionPreconditions`.
///
/// The case that split them: a batch that failed on `token_limit_exceeded` counted no requests, so the
/// dashboard refused a failed-only resubmit ("no failed or unfinished requests") while the command sent
/// every request of its input.
@Suite struct ActionPreconditionsAgreementTests {
    static let now: Int64 = 1_767_225_600

    /// One job as both paths see it, with the provider files the service needs when it goes ahead.
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var status: BatchStatus
        var counts: RequestCounts
        var errors: [BatchErrorItem] = []
        var cancelRequested = false
        /// Requests in the input file (the counts when the provider counted them).
        var inputLines: Int
        /// How many of them the output file answers successfully.
        var succeeded = 0
        /// How many the error file lists.
        var failedLines = 0
        var description: String { name }

        var batch: Batch {
            var b = Batch(id: "batch_case", model: "gpt-4o-mini", errors: errors, inputFileID: "file-in", status: status,
                          outputFileID: succeeded > 0 ? "file-out" : nil, errorFileID: failedLines > 0 ? "file-err" : nil,
                          createdAt: now - 7_200, inProgressAt: status == .validating || status == .failed ? nil : now - 7_000,
                          expiresAt: now + 79_200, requestCounts: counts, metadata: ["workload": "nightly-eval"])
            if status.isTerminal { b.expiresAt = nil }
            return b
        }
    }

    static let cases: [Case] = [
        Case(name: "validating", status: .validating, counts: RequestCounts(), inputLines: 10),
        Case(name: "in progress", status: .inProgress, counts: RequestCounts(total: 10, completed: 4), inputLines: 10, succeeded: 4),
        Case(name: "in progress, cancel requested", status: .inProgress, counts: RequestCounts(total: 10, completed: 4),
             cancelRequested: true, inputLines: 10, succeeded: 4),
        Case(name: "finalizing", status: .finalizing, counts: RequestCounts(total: 10, completed: 10), inputLines: 10, succeeded: 10),
        Case(name: "cancelling", status: .cancelling, counts: RequestCounts(total: 10, completed: 4), inputLines: 10, succeeded: 4),
        Case(name: "completed, every request succeeded", status: .completed, counts: RequestCounts(total: 10, completed: 10),
             inputLines: 10, succeeded: 10),
        Case(name: "completed, some failed", status: .completed, counts: RequestCounts(total: 10, completed: 7, failed: 3),
             inputLines: 10, succeeded: 7, failedLines: 3),
        Case(name: "completed, every request failed", status: .completed, counts: RequestCounts(total: 10, failed: 10),
             inputLines: 10, failedLines: 10),
        Case(name: "failed on token_limit_exceeded", status: .failed, counts: RequestCounts(),
             errors: [BatchErrorItem(code: "token_limit_exceeded", message: "Enqueued token limit reached for gpt-4o-mini")], inputLines: 420),
        Case(name: "failed validation", status: .failed, counts: RequestCounts(),
             errors: [BatchErrorItem(code: "invalid_url", message: "bad url", line: 2)], inputLines: 5),
        Case(name: "expired", status: .expired, counts: RequestCounts(total: 10, completed: 6, failed: 4), inputLines: 10, succeeded: 6, failedLines: 4),
        Case(name: "cancelled", status: .cancelled, counts: RequestCounts(total: 10, completed: 2, failed: 8), inputLines: 10, succeeded: 2, failedLines: 8),
        Case(name: "unknown status", status: BatchStatus("paused_by_provider"), counts: RequestCounts(total: 10, completed: 5),
             inputLines: 10, succeeded: 5),
    ]

    enum Action: String, CaseIterable, Sendable { case cancel, resubmit, resubmitFailed }

    /// What a path said: nil when it went ahead, else its reason.
    typealias Said = String?

    // MARK: The dashboard

    static func dashboard(_ c: Case, _ action: Action) -> Said {
        let job = Job(batch: c.batch, firstSeenAt: now - 7_200, lastPolledAt: now, cancelRequestedAt: c.cancelRequested ? now - 60 : nil)
        var state = AppState(context: Fixtures.context, width: 120, height: 30, now: now)
        _ = reduce(&state, .jobsLoaded([JobRow(job: job)]))
        let key: Character = switch action { case .cancel: "c"; case .resubmit: "R"; case .resubmitFailed: "F" }
        _ = reduce(&state, .key(.char(key)))
        if state.dialog != nil { return nil }
        let toast = state.toast?.text ?? "no toast"
        let prefix = action == .cancel ? "can't cancel: " : "can't resubmit: "
        return toast.hasPrefix(prefix) ? String(toast.dropFirst(prefix.count)) : "unexpected toast: \(toast)"
    }

    // MARK: The service

    static func line(_ id: Int) -> String {
        #"{"custom_id":"req-\#(id)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"q\#(id)"}]}}"#
    }

    /// Runs the action through `OperationsService` against a fake provider holding the case's batch and files.
    static func service(_ c: Case, _ action: Action) async throws -> (said: Said, sent: Int?) {
        let dir = try BatchFixtures.temporaryDirectory("preconditions")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ManualClock(Date(timeIntervalSince1970: TimeInterval(now)))
        let store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
        let api = FakeBatchAPI(batches: [c.batch], clock: clock)
        api.setFileContent(Data((1...c.inputLines).map(line).joined(separator: "\n").utf8), for: "file-in")
        if c.succeeded > 0 {
            let out = (1...c.succeeded).map { #"{"id":"r\#($0)","custom_id":"req-\#($0)","response":{"status_code":200,"request_id":"q","body":{}},"error":null}"# }
            api.setFileContent(Data(out.joined(separator: "\n").utf8), for: "file-out")
        }
        if c.failedLines > 0 {
            let err = (c.succeeded + 1...c.succeeded + c.failedLines).map {
                #"{"id":"r\#($0)","custom_id":"req-\#($0)","response":null,"error":{"code":"batch_expired","message":"x"}}"#
            }
            api.setFileContent(Data(err.joined(separator: "\n").utf8), for: "file-err")
        }
        try store.recordObservedBatch(c.batch, observedAt: now)
        if c.cancelRequested {
            try store.markCancelRequested(jobID: c.batch.id, at: now - 60, audit: AuditDraft(
                at: now - 60, actor: "ana", action: "cancel.request", targets: [c.batch.id], outcome: "cancel requested"))
        }
        let service = OperationsService(store: store, api: api, clock: clock, actor: "ana", settings: OperationsSettings(),
                                        prices: try PriceTable.shippedDefault(), dataDirectory: dir)
        switch action {
        case .cancel:
            let outcome = try #require(try await service.cancel([c.batch.id]).first)
            switch outcome.kind {
            case .requested: return (nil, nil)
            case .refused(let reason): return (reason, nil)
            case .alreadyCancelling: return (String(outcome.message.dropFirst("\(c.batch.id): ".count)), nil)
            case .notFound, .failed: return ("unexpected: \(outcome.message)", nil)
            }
        case .resubmit, .resubmitFailed:
            do {
                let outcome = try await service.resubmit(c.batch.id, failedOnly: action == .resubmitFailed)
                return (nil, outcome.requestCount)
            } catch OperationError.precondition(let verb, let id, let reason) {
                #expect(verb == "resubmit" && id == c.batch.id)
                return (reason, nil)
            }
        }
    }

    @Test(arguments: cases, Action.allCases)
    func bothPathsSayTheSame(_ c: Case, _ action: Action) async throws {
        let shown = Self.dashboard(c, action)
        let (done, sent) = try await Self.service(c, action)
        #expect(shown == done, "dashboard: \(shown ?? "goes ahead"); service: \(done ?? "goes ahead")")
        #expect(shown == ActionPreconditions.verdict(c, action).reason)
        if action == .resubmitFailed, done == nil {
            #expect(sent == c.inputLines - c.succeeded, "failed-only sends exactly the requests without a success")
        }
    }

    @Test func aBatchFailedOnTokenLimitResubmitsEveryRequestFromEitherPath() async throws {
        let c = try #require(Self.cases.first { $0.name == "failed on token_limit_exceeded" })
        #expect(Self.dashboard(c, .resubmitFailed) == nil, "the dashboard opens the dialog")
        let (said, sent) = try await Self.service(c, .resubmitFailed)
        #expect(said == nil && sent == 420)
    }
}

extension ActionPreconditions {
    /// The core's verdict for a table case, the reference both paths must match.
    static func verdict(_ c: ActionPreconditionsAgreementTests.Case, _ action: ActionPreconditionsAgreementTests.Action) -> Verdict {
        switch action {
        case .cancel: cancel(status: c.status, cancelRequestedAt: c.cancelRequested ? 1 : nil)
        case .resubmit: resubmit(status: c.status, counts: c.counts, failedOnly: false)
        case .resubmitFailed: resubmit(status: c.status, counts: c.counts, failedOnly: true)
        }
    }
}
