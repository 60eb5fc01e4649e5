import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// The lease is judged by the holder's heartbeat on the claimant's monotonic clock, never by wall time.
@Suite final class SyncLeaseClockTests {
    let dir: URL
    let store: BatchStore
    /// The claimant's clocks: wall time (stored for people) and monotonic time (decides takeover).
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("lease-clock")
        store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// A poller on another machine: its pid means nothing here.
    let far = LeaseClaimant(holderID: "far", pid: 4242, host: "far-away",
                            process: ProcessIdentity(bootID: "another-machine", pidNamespace: "pid:[1]", startTicks: 7))
    let me = LeaseClaimant(holderID: "me", pid: Int(getpid()), host: "here", monotonicDomain: "my-clock")

    func cycle() -> SyncCycle {
        SyncCycle(api: FakeBatchAPI(batches: [BatchFixtures.batch(1, status: .inProgress)], clock: clock), store: store,
                  clock: clock, claimant: me, monotonic: clock)
    }

    @Test("a silent holder whose clock runs 3 h ahead is taken over after its TTL on the claimant's monotonic clock")
    func aSilentHolderWithAClockAheadIsTakenOverAfterItsTTL() async throws {
        // The far poller's clock is 3 h ahead: it writes a lease that "expires" 3 h from our now, then goes silent.
        let ahead = clock.unixNow() + 3 * 3_600
        guard case .held = try store.claimLease(far, now: ahead, ttl: 16, monotonic: 0) else { Issue.record("free lease"); return }
        #expect(try store.currentLease()?.expiresAt == ahead + 16)

        let first = try await cycle().runOnce()
        guard case let .standby(lease) = first.role else { Issue.record("a fresh heartbeat must be waited for"); return }
        #expect(lease.ttlSeconds == 16)
        clock.advance(by: 15)
        guard case .standby = try await cycle().runOnce().role else { Issue.record("15 s of silence is within the TTL"); return }
        clock.advance(by: 1)
        let taken = try await cycle().runOnce()
        #expect(taken.role == .poller, "16 s of silence on our monotonic clock: taken over, whatever expires_at says")
        #expect(try store.currentLease()?.holderID == "me")
    }

    @Test("a live holder whose clock runs 3 h behind is not taken over early")
    func aLiveHolderWithAClockBehindKeepsItsLease() async throws {
        let behind = clock.unixNow() - 3 * 3_600
        guard case .held = try store.claimLease(far, now: behind, ttl: 16, monotonic: 0) else { Issue.record("free lease"); return }
        // Its expires_at is 3 h in our past, but it renews every 10 s of real time.
        for round in 0..<6 {
            guard case .standby = try await cycle().runOnce().role else { Issue.record("round \(round): taken from a live holder"); return }
            clock.advance(by: 10)
            guard case .held = try store.renewLease(far, now: behind + Int64(round + 1) * 10, ttl: 16) else {
                Issue.record("the holder renews its own lease"); return
            }
        }
        #expect(try store.currentLease()?.holderID == "far")
    }

    @Test("our own wall clock jumping 3 h ahead takes nothing over")
    func aWallClockJumpOfTheClaimantTakesNothingOver() async throws {
        guard case .held = try store.claimLease(far, now: clock.unixNow(), ttl: 16, monotonic: 0) else { Issue.record("free lease"); return }
        guard case .standby = try await cycle().runOnce().role else { Issue.record("fresh lease"); return }
        clock.set(Date(timeIntervalSince1970: 1_800_000_000 + 3 * 3_600))
        guard case .standby = try await cycle().runOnce().role else { Issue.record("a wall jump is not elapsed time"); return }
        #expect(try store.currentLease()?.holderID == "far")
    }

    @Test("one-shot claimants of one monotonic domain continue each other's watch")
    func oneShotClaimantsShareTheirWatch() throws {
        guard case .held = try store.claimLease(far, now: 0, ttl: 30, monotonic: 0) else { Issue.record("free lease"); return }
        let a = LeaseClaimant(holderID: "once-1", pid: 1, host: "here", monotonicDomain: "boot-x")
        let b = LeaseClaimant(holderID: "once-2", pid: 2, host: "here", monotonicDomain: "boot-x")
        let c = LeaseClaimant(holderID: "once-3", pid: 3, host: "here", monotonicDomain: "boot-y")
        guard case .heldByOther = try store.claimLease(a, now: 0, ttl: 30, monotonic: 500) else { Issue.record("first sight"); return }
        // A claimant of another domain cannot use boot-x's reading: it starts its own watch.
        guard case .heldByOther = try store.claimLease(c, now: 0, ttl: 30, monotonic: 9_999) else { Issue.record("another domain"); return }
        guard case .held = try store.claimLease(b, now: 0, ttl: 30, monotonic: 530) else { Issue.record("30 s since boot-x first saw it"); return }
    }
}
