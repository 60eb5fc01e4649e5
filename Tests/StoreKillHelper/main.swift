// A writer for the kill test: runs sync cycles against a FakeBatchAPI forever, printing each committed
// cycle number, until the test SIGKILLs it at a random instant.
//
// Usage: StoreKillHelper <database path> <jobs>
// Every cycle moves every job's `completed` count to the cycle number and flips its status, so a
// database where rows disagree proves a torn write.
import BatchKit
import Foundation
import TestSupport

let arguments = CommandLine.arguments
guard arguments.count == 3, let jobs = Int(arguments[2]), jobs > 0 else {
    FileHandle.standardError.write(Data("usage: StoreKillHelper <database path> <jobs>\n".utf8))
    exit(2)
}
do {
    let store = try BatchStore(url: URL(fileURLWithPath: arguments[1]))
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let api = FakeBatchAPI(clock: clock)
    // The same holder id across restarts, so a restarted helper renews its own lease; the real process
    // identity, so the poller after it sees that it is dead.
    var claimant = LeaseClaimant.currentProcess()
    claimant.holderID = "kill-helper"
    let cycle = SyncCycle(api: api, store: store, clock: clock, claimant: claimant)
    let start = (try store.jobs(JobFilter(limit: 1)).first?.batch.requestCounts.completed ?? 0) + 1
    for n in start... {
        api.put((1...jobs).map {
            BatchFixtures.batch($0, status: n % 2 == 0 ? .finalizing : .inProgress, total: 1_000_000, completed: n)
        })
        clock.advance(by: 1)
        let report = try await cycle.runOnce()
        guard report.role == .poller else {
            FileHandle.standardError.write(Data("lease held by another process\n".utf8))
            exit(3)
        }
        FileHandle.standardOutput.write(Data("committed \(n)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("StoreKillHelper: \(error)\n".utf8))
    exit(1)
}
