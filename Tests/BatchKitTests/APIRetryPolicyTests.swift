import Foundation
import Testing
@testable import BatchKit

/// `RetryPolicy` decisions, backoff and `Retry-After` parsing, and `APIError` classification.
@Suite struct APIRetryPolicyTests {
    static func error(_ status: Int, code: String? = nil, message: String = "m", headers: [String: String] = [:]) -> APIError {
        let body = APIFixtures.errorJSON(message, type: "t", code: code)
        return APIError.fromResponse(
            status: status, headers: headers, body: Data(body.utf8), method: "GET", path: "/batches",
            now: Date(timeIntervalSince1970: 1_000_000), secrets: [])
    }

    /// (status, code, message, expected kind, retryable)
    static let statusCases: [(Int, String?, String, APIError.Kind, Bool)] = [
        (400, "invalid_value", "bad", .invalidRequest, false),
        (401, "invalid_api_key", "bad key", .authentication, false),
        (403, nil, "no", .permissionDenied, false),
        (404, nil, "none", .notFound, false),
        (408, nil, "slow", .timeout, true),
        (409, nil, "conflict", .conflict, true),
        (422, nil, "bad", .invalidRequest, false),
        (429, "rate_limit_exceeded", "Rate limit reached", .rateLimited(retryAfter: nil), true),
        (429, "insufficient_quota", "You exceeded your current quota", .quotaExceeded, false),
        (429, nil, "Please check your plan and billing details", .quotaExceeded, false),
        (500, nil, "oops", .server, true),
        (503, nil, "overloaded", .server, true),
    ]

    @Test(arguments: statusCases)
    func statusesClassify(status: Int, code: String?, message: String, kind: APIError.Kind, retryable: Bool) {
        let e = Self.error(status, code: code, message: message)
        #expect(e.kind == kind)
        #expect(RetryPolicy.isRetryable(e) == retryable)
        #expect(e.statusCode == status)
    }

    @Test func backoffDoublesUpToTheCapWithBoundedJitter() {
        let exact = RetryPolicy(maxRetries: 10, random: { 0 })
        #expect((0..<6).map { exact.backoff(retriesSoFar: $0) } == [0.5, 1, 2, 4, 8, 8])
        let jittered = RetryPolicy(maxRetries: 10, random: { 0.999 })
        for n in 0..<6 {
            let d = jittered.backoff(retriesSoFar: n)
            #expect(d <= exact.backoff(retriesSoFar: n) && d >= 0.75 * exact.backoff(retriesSoFar: n))
        }
    }

    @Test func decisionRespectsMaxRetriesAndCap() {
        let policy = RetryPolicy(maxRetries: 2, random: { 0 })
        let server = Self.error(500)
        #expect(policy.decide(server, retriesSoFar: 0) == .retry(after: 0.5))
        #expect(policy.decide(server, retriesSoFar: 1) == .retry(after: 1))
        #expect(policy.decide(server, retriesSoFar: 2) == .giveUp)
        let shortWait = Self.error(429, headers: ["Retry-After": "30"])
        #expect(policy.decide(shortWait, retriesSoFar: 0) == .retry(after: 30))
        let longWait = Self.error(429, headers: ["Retry-After": "121"])
        #expect(policy.decide(longWait, retriesSoFar: 0) == .giveUp)
        #expect(longWait.retryAfter == 121)
        #expect(RetryPolicy.none.decide(server, retriesSoFar: 0) == .giveUp)
    }

    /// (retry-after-ms, Retry-After, expected seconds) with now = 1,000,000.
    static let retryAfterCases: [(String?, String?, Double?)] = [
        (nil, "7", 7),
        (nil, "2.5", 2.5),
        ("800", nil, 0.8),
        ("800", "7", 0.8),
        ("junk", "7", 7),
        (nil, "0", nil),
        (nil, "-3", nil),
        (nil, "soon", nil),
        (nil, "Mon, 12 Jan 1970 13:47:00 GMT", 20),  // 1,000,020
        (nil, "Mon, 12 Jan 1970 13:46:00 GMT", nil),  // in the past
        (nil, nil, nil),
    ]

    @Test(arguments: retryAfterCases)
    func retryAfterParses(ms: String?, header: String?, expected: Double?) {
        let got = RetryPolicy.retryAfterSeconds(retryAfterMs: ms, retryAfter: header, now: Date(timeIntervalSince1970: 1_000_000))
        #expect(got == expected)
    }

    @Test func errorBodyVariantsStillYieldUsefulErrors() {
        let html = APIError.fromResponse(
            status: 502, headers: ["X-Request-Id": "req_h"], body: Data("<html>Bad gateway</html>".utf8),
            method: "GET", path: "/batches", now: Date(), secrets: [])
        #expect(html.kind == .server)
        #expect(html.requestID == "req_h")
        #expect(html.message.contains("Bad gateway"))
        let numericCode = APIError.fromResponse(
            status: 400, headers: [:], body: Data(#"{"error": {"message": "x", "code": 123}}"#.utf8),
            method: "POST", path: "/batches", now: Date(), secrets: [])
        #expect(numericCode.code == "123")
    }

    @Test func errorsNeverCarryTheKey() {
        let key = Secret("sk-proj-SECRETSECRETSECRET9876")
        let e = APIError.fromResponse(
            status: 401, headers: [:],
            body: Data(APIFixtures.errorJSON("Incorrect API key provided: sk-proj-SECRETSECRETSECRET9876", type: "invalid_request_error", code: "invalid_api_key").utf8),
            method: "GET", path: "/batches", now: Date(), secrets: [key])
        for text in [e.description, e.message, String(reflecting: e), "\(e)"] {
            #expect(!text.contains("SECRETSECRET"))
        }
        #expect(e.message.contains("sk-...9876"))
    }
}
