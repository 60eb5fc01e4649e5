import Foundation
import Testing
import TestSupport
@testable import BatchKit

@Suite struct SyncPolicyTests {
    static func policy(jitter: Double) -> SyncPolicy {
        SyncPolicy(activeInterval: 5, idleInterval: 60, backoffBase: 2, backoffCap: 64, retryAfterCap: 120, jitter: { jitter })
    }

    @Test(arguments: [(0, 60.0), (1, 5.0), (250, 5.0)])
    func intervalAdaptsToActiveJobs(active: Int, expected: Double) {
        #expect(Self.policy(jitter: 0).interval(activeJobs: active) == expected)
    }

    @Test func backoffDoublesWithinJitterBoundsAndIsCapped() {
        let low = Self.policy(jitter: 0)
        let high = Self.policy(jitter: 0.999_999)
        var previousHigh = 0.0
        for failures in 1...10 {
            let raw = min(64, 2 * pow(2, Double(failures - 1)))
            let a = low.backoff(consecutiveFailures: failures, error: nil)
            let b = high.backoff(consecutiveFailures: failures, error: nil)
            #expect(a == raw / 2)
            #expect(b > a && b <= raw)
            #expect(b >= previousHigh)
            previousHigh = b
        }
        #expect(high.backoff(consecutiveFailures: 1_000, error: nil) <= 64)
    }

    @Test func aSuccessResetsTheBackoffBecauseFailuresRestartAtOne() {
        let p = Self.policy(jitter: 0)
        #expect(p.backoff(consecutiveFailures: 6, error: nil) > p.backoff(consecutiveFailures: 1, error: nil))
        #expect(p.backoff(consecutiveFailures: 0, error: nil) == p.backoff(consecutiveFailures: 1, error: nil))
    }

    @Test(arguments: [(8.0, 8.0), (0.5, 1.0), (900.0, 120.0)])
    func retryAfterIsHonouredUpToTheCap(asked: Double, expected: Double) {
        let p = Self.policy(jitter: 0)
        let error = FakeAPIError(status: 429, message: "slow down", retryAfter: asked)
        #expect(p.backoff(consecutiveFailures: 1, error: error) == expected)
    }

    @Test func injectedRetryAfterExtractorIsUsed() {
        struct Plain: Error {}
        let p = SyncPolicy(backoffBase: 1, jitter: { 0 }, retryAfter: { _ in 42 })
        #expect(p.backoff(consecutiveFailures: 1, error: Plain()) == 42)
    }

    @Test func leaseOutlivesSeveralIntervals() {
        let p = Self.policy(jitter: 0)
        #expect(p.leaseTTL(nextDelay: 60) >= 180)
        #expect(p.leaseTTL(nextDelay: 0) >= 15)
    }

    @Test func mailboxDrainsInOrderAndDropsTheOldestWhenFull() {
        let box = Mailbox<Int>(capacity: 3)
        for i in 1...5 { box.post(i) }
        #expect(box.drain() == [3, 4, 5])
        #expect(box.drain().isEmpty)
        #expect(box.droppedCount == 2)
    }
}
