import Testing
@testable import Dashboard

/// The header says what the running sync cycle waits for, while it waits.
@Suite struct HeaderActivityTests {
    @Test func aProviderWaitIsAWarningAndProgressIsPlain() {
        var state = Fixtures.loaded()
        state.freshness.lastSuccessAt = state.now - 65
        state.freshness.activity = "rate limited by the provider (HTTP 429), retrying GET /batches in 30s (Retry-After; retry 1 of 2) (28s left)"
        state.freshness.activityIsWait = true
        let (wait, waitToken) = HeaderView.freshness(state, warning: "!")
        #expect(wait == "! rate limited by the provider (HTTP 429), retrying GET /batches in 30s (Retry-After; retry 1 of 2) (28s left) · data from 1m ago")
        #expect(waitToken == .warn)

        state.freshness.activity = "listing batches: page 40 of ? (4000 batches, 4.4 MB so far)\u{1B}[2J"
        state.freshness.activityIsWait = false
        let (progress, progressToken) = HeaderView.freshness(state, warning: "!")
        #expect(progress == "listing batches: page 40 of ? (4000 batches, 4.4 MB so far) · data from 1m ago")
        #expect(progressToken == .header)

        // What the running cycle says is newer than the last cycle's error; without it, the error shows.
        state.freshness.lastError = "HTTP 503"
        #expect(HeaderView.freshness(state, warning: "!").0.hasPrefix("listing batches: page 40"))
        state.freshness.activity = nil
        #expect(HeaderView.freshness(state, warning: "!").0.hasPrefix("! last error: HTTP 503"))
    }
}
