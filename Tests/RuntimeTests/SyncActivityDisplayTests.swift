import BatchKit
import Dashboard
import Foundation
import Testing
import TestSupport
@testable import batchtop

/// What a running cycle says (a provider's Retry-After, a long listing) reaches the header while it runs.
@Suite struct SyncActivityDisplayTests {
    @Test func whatTheCycleSaysIsReadIntoTheFreshnessLine() throws {
        let dir = try BatchFixtures.temporaryDirectory("activity")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try BatchStore(url: dir.appendingPathComponent("b.sqlite"))
        let clock = ManualClock(Date(timeIntervalSince1970: 1_767_100_000))
        let now = clock.unixNow()
        try store.applyCycle([], observedAt: now - 60)
        try store.recordActivity(SyncActivity(
            text: "rate limited by the provider (HTTP 429), retrying GET /batches in 30s (Retry-After; retry 1 of 2)",
            at: now, until: now + 30))
        clock.advance(by: 2)
        let reader = SnapshotReader(store: store, prices: try PriceTable.shippedDefault(), spendSettings: SpendSettings(),
                                    clock: clock, operations: nil, pump: nil, timeScale: 1)
        let freshness = try reader.freshness(paused: false)
        #expect(freshness.activityIsWait)
        #expect(freshness.activity?.hasSuffix("(28s left)") == true)
        // Listing progress is not a warning; the cycle's end hides it.
        try store.recordActivity(SyncActivity(text: "listing batches: page 40 of ? (4000 batches, 4.4 MB so far)", at: clock.unixNow()))
        let progress = try reader.freshness(paused: false)
        #expect(progress.activity == "listing batches: page 40 of ? (4000 batches, 4.4 MB so far)" && !progress.activityIsWait)
        clock.advance(by: 1)
        try store.applyCycle([], observedAt: clock.unixNow())
        #expect(try reader.freshness(paused: false).activity == nil)
    }
}
