import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#endif
import Testing
import TestSupport
@testable import BatchKit

/// Another connection writes between two of a store's writes: the store must write again.
///
/// Before the fix the cycle write left its `SELECT` statement on SQLITE_ROW, the writer connection kept
/// a read transaction on the snapshot it had committed, and after any foreign write every
/// `BEGIN IMMEDIATE` failed with SQLITE_BUSY_SNAPSHOT ("database is locked") for good.
@Suite final class StoreForeignWriteTests {
    let dir: URL
    let url: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("foreign-write")
        url = dir.appendingPathComponent("batchtop.sqlite")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    let me = LeaseClaimant(holderID: "poller", pid: 1, host: "test")

    /// Two cycles, so the second finds its rows (the `SELECT` returns a row, which is what was left open).
    func twoCycles(_ store: BatchStore, at t: Int64) throws {
        try store.applyCycle((1...20).map { BatchFixtures.batch($0, status: .inProgress, total: 1_000, completed: Int(t)) }, observedAt: t, claimant: me)
        try store.applyCycle((1...20).map { BatchFixtures.batch($0, status: .inProgress, total: 1_000, completed: Int(t) + 1) }, observedAt: t + 1, claimant: me)
    }

    @Test("a second BatchStore writes between cycles; the first writes again")
    func anotherStoreWritesBetweenCycles() throws {
        let poller = try BatchStore(url: url, profile: .resident)
        let other = try BatchStore(url: url)
        try twoCycles(poller, at: 100)
        // A foreign write of each kind the store makes.
        _ = try other.appendAudit(AuditDraft(at: 102, actor: "ana", action: "cancel", targets: ["batch_1"], outcome: "refused"))
        try twoCycles(poller, at: 110)
        try other.recordFailure("probe", at: 112)
        try poller.recordSchedule(nextAttemptAt: 120, intervalSeconds: 5, claimant: me, leaseTTL: 16, now: 113)
        guard case .held = try poller.claimLease(me, now: 114, ttl: 30, monotonic: 0) else { Issue.record("the poller lost its own lease"); return }
        try twoCycles(poller, at: 120)
        #expect(try poller.freshness().lastSuccessAt == 121)
        #expect(try poller.jobDetail(id: BatchFixtures.batch(1, status: .inProgress).id)?.job.lastPolledAt == 121)
    }

    @Test("a raw write through a plain SQLite connection; the store writes again")
    func aRawConnectionWritesBetweenCycles() throws {
        let poller = try BatchStore(url: url, profile: .resident)
        try twoCycles(poller, at: 100)
        let raw = try DatabaseQueue(path: url.path)
        try raw.write { try $0.execute(sql: "CREATE TABLE poke(a); INSERT INTO poke VALUES (1)") }
        try twoCycles(poller, at: 110)
        try raw.write { try $0.execute(sql: "INSERT INTO poke VALUES (2)") }
        try twoCycles(poller, at: 120)
        #expect(try poller.freshness().lastSuccessAt == 121)
    }

    @Test("no statement of the writer connection is left mid-read after a cycle")
    func noStatementIsLeftBusyAfterACycle() throws {
        let poller = try BatchStore(url: url, profile: .resident)
        try twoCycles(poller, at: 100)
        let leaked = try poller.pool.writeWithoutTransaction { db in BatchStore.busyStatements(db) }
        #expect(leaked.isEmpty, "left mid-read: \(leaked)")
    }

    /// A read left open on the writer connection by a path outside `BatchStore.write` (the guard there
    /// cannot see it): the next write meets SQLITE_BUSY_SNAPSHOT and must succeed on a fresh snapshot.
    @Test("a write that starts from a stale read retries once on a fresh snapshot")
    func aWriteFromAStaleReadRetriesOnAFreshSnapshot() throws {
        let poller = try BatchStore(url: url, profile: .resident)
        try twoCycles(poller, at: 100)
        // Step a statement on the writer connection and leave it on its row.
        try poller.pool.writeWithoutTransaction { db in
            let statement = try db.cachedStatement(sql: "SELECT id FROM jobs")
            #expect(sqlite3_step(statement.sqliteStatement) == SQLITE_ROW)
        }
        let raw = try DatabaseQueue(path: url.path)
        try raw.write { try $0.execute(sql: "CREATE TABLE poke(a)") }
        try poller.recordFailure("after a stale read", at: 130)
        try twoCycles(poller, at: 140)
        #expect(try poller.freshness().lastSuccessAt == 141)
        #expect(try poller.pool.writeWithoutTransaction { BatchStore.busyStatements($0) }.isEmpty)
    }
}
