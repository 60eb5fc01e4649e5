import Foundation

/// One sync cycle: list, fetch what the list missed, write everything in one transaction, download files.
///
/// Rule: the listing stops at the first page holding a job already stored as terminal, why: the list is
/// newest first, so everything below it is known; jobs still active below it are fetched one by one,
/// unless reading on to the oldest of them takes fewer pages than they would take GETs.
/// Until one listing has reached the oldest batch, every page is read, so an interrupted first sync
/// cannot leave a hole. Rule: requests are awaited one at a time, why: never two in flight.
///
/// Rule: a long listing is bounded and written as it goes, why: a provider answering `has_more` with
/// new cursors forever once ran 2,364 pages (261 MB) in two minutes with nothing kept; now the listing
/// stops at `SyncOptions.maxPages` / `maxListingBytes` with an error naming the cap, is written every
/// `commitEveryBatches` batches (never marking a full listing that did not reach the end), and says how
/// far it got. Rule: what the cycle waits for is said while it waits (`SyncActivity`), retries included.
public struct SyncCycle: Sendable {
    public let api: any BatchAPI
    public let store: BatchStore
    public let clock: any WallClock
    public let claimant: LeaseClaimant
    public let options: SyncOptions
    /// Measures how long a silent lease holder has been silent, and when our own lease is due for renewal.
    public let monotonic: any MonotonicClock
    /// Hears what the running cycle is doing (a retry wait, listing progress) as it happens, besides
    /// `sync_state`; `batchtop sync` prints it. Called on the cycle's task.
    public var onActivity: (@Sendable (SyncActivity) -> Void)?

    /// - Parameter monotonic: defaults to `clock` when it also keeps monotonic time (a test's
    ///   `ManualClock`), else the system's monotonic clock.
    public init(api: any BatchAPI, store: BatchStore, clock: any WallClock, claimant: LeaseClaimant, options: SyncOptions = SyncOptions(),
                monotonic: (any MonotonicClock)? = nil) {
        self.api = api; self.store = store; self.clock = clock; self.claimant = claimant; self.options = options
        self.monotonic = monotonic ?? (clock as? any MonotonicClock) ?? SystemMonotonicClock()
    }

    /// Runs one cycle and reports what changed.
    ///
    /// When another live process holds the lease, makes no API call and returns a `.standby` report.
    /// On failure (claiming the lease included), records the error in the sync state (for the dashboard)
    /// and rethrows it unchanged.
    public func runOnce() async throws -> SyncReport {
        let started = clock.unixNow()
        do {
            if case let .heldByOther(other) = try store.claimLease(
                claimant, now: started, ttl: options.initialLeaseTTL, monotonic: monotonic.monotonicSeconds()) {
                return SyncReport(role: .standby(other), observedAt: started)
            }
            // Every retry inside the cycle's calls is said before its wait (see `RetryNotice`).
            return try await RetryNotice.$observer.withValue({ notice in
                let now = clock.unixNow()
                say(SyncActivity(text: notice.description, at: now, until: now + Int64(notice.delay.rounded(.up))))
            }) {
                var report = try await poll()
                let files = await downloadFiles()
                report.downloaded = files.downloaded
                report.downloadFailures = files.failed
                report.apiCalls += files.calls
                return report
            }
        } catch let StoreError.leaseLost(holder, expiresAt) {
            // Another poller took over while we were fetching (our lease had expired); its data wins.
            let lease = (try? store.currentLease()) ?? LeaseRecord(holderID: holder, pid: 0, host: "?", acquiredAt: started, expiresAt: expiresAt)
            return SyncReport(role: .standby(lease), observedAt: clock.unixNow())
        } catch {
            let text = UntrustedText.singleLine(options.describeError(error), limit: 300)
            _ = try? store.recordFailure(text, at: clock.unixNow())
            throw error
        }
    }

    /// Records and announces what the cycle is doing; a failure to record it is not the cycle's failure.
    private func say(_ activity: SyncActivity) {
        try? store.recordActivity(activity)
        onActivity?(activity)
    }

    private func poll() async throws -> SyncReport {
        let fullListingDone = try store.freshness().fullListingAt != nil
        // Missing jobs come back for a look every `MissingPolicy.recheckSeconds`.
        let active = try store.nonTerminalJobIDs(recheckMissingBefore: options.missing.recheckDue(now: clock.unixNow()))
        var batches: [Batch] = []
        var seen = Set<String>()
        var after: String?
        var pages = 0
        var listed = (batches: 0, bytes: 0)
        // What earlier groups of a long listing wrote, and the bytes of the group in memory.
        var committed = CycleChanges()
        var groupBytes = 0
        var reachedEnd = false
        // Extra pages to read past the stop point, when listing on is cheaper than one GET per active job.
        var extraPages: Int?
        var leaseRenewedAt = monotonic.monotonicSeconds()
        while true {
            try renewLeaseIfDue(&leaseRenewedAt)
            let page = try await api.listBatches(after: after, limit: options.pageLimit)
            pages += 1
            listed.batches += page.data.count
            listed.bytes += page.responseBytes
            groupBytes += page.responseBytes
            batches.append(contentsOf: page.data)
            for b in page.data { seen.insert(b.id) }
            if !page.hasMore || page.data.isEmpty {
                reachedEnd = true
                break
            }
            if let budget = extraPages {
                if budget <= 0 || active.allSatisfy(seen.contains) { break }
                extraPages = budget - 1
            } else if fullListingDone, !(try store.terminalJobIDs(among: page.data.map(\.id))).isEmpty {
                let uncovered = active.filter { !seen.contains($0) }
                guard let depth = try store.listingDepth(of: uncovered) else { break }
                let pagesNeeded = max(0, (depth - seen.count + options.pageLimit - 1) / options.pageLimit)
                if pagesNeeded == 0 || pagesNeeded >= uncovered.count { break }
                extraPages = pagesNeeded - 1
            }
            guard let next = page.lastID ?? page.data.last?.id, next != after else {
                throw SyncError.paginationStuck(after: after)
            }
            if pages >= options.maxPages || listed.bytes >= options.maxListingBytes {
                // Keep what was read, then say which cap stopped the listing (it did not reach the end).
                try commitListing(&batches, into: &committed, groupBytes: &groupBytes)
                throw pages >= options.maxPages
                    ? SyncError.tooManyPages(pages, batches: listed.batches)
                    : SyncError.listingTooLarge(bytes: listed.bytes, pages: pages)
            }
            if batches.count >= options.commitEveryBatches || groupBytes >= options.commitEveryBytes {
                try commitListing(&batches, into: &committed, groupBytes: &groupBytes)
            }
            if pages % options.progressEveryPages == 0 {
                say(SyncActivity(
                    text: "listing batches: page \(pages) of ? (\(listed.batches) batches, \(Self.megabytes(listed.bytes)) so far)",
                    at: clock.unixNow()))
            }
            after = next
        }
        var retrievals = 0
        var notFound: [String] = []
        for id in active where !seen.contains(id) {
            try renewLeaseIfDue(&leaseRenewedAt)
            retrievals += 1
            do {
                batches.append(try await api.retrieveBatch(id: id))
            } catch where options.isNotFound(error) {
                notFound.append(id)
            }
        }
        let observedAt = clock.unixNow()
        var changes = try store.applyCycle(
            batches, observedAt: observedAt, fullListing: reachedEnd, apiCalls: pages + retrievals,
            claimant: claimant, leaseTTL: options.initialLeaseTTL, notFound: notFound, missingPolicy: options.missing)
        changes.absorb(earlier: committed)
        return SyncReport(role: .poller, changes: changes, apiCalls: pages + retrievals, listPages: pages,
                          retrievals: retrievals, notFound: notFound, missing: changes.missing.map(\.jobID),
                          observedAt: observedAt, fullListing: reachedEnd)
    }

    /// Writes the listing read so far (never as a full listing) and empties the group.
    private func commitListing(_ batches: inout [Batch], into committed: inout CycleChanges, groupBytes: inout Int) throws {
        guard !batches.isEmpty else { return }
        let changes = try store.applyListingProgress(
            batches, observedAt: clock.unixNow(), claimant: claimant, leaseTTL: options.initialLeaseTTL)
        var merged = changes
        merged.absorb(earlier: committed)
        committed = merged
        batches.removeAll(keepingCapacity: true)
        groupBytes = 0
    }

    /// `4.4 MB`, or `512 KB` below one megabyte.
    static func megabytes(_ bytes: Int) -> String {
        bytes < 1_048_576 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    /// Renews the lease once a third of it has passed, so a long first sync is not taken over midway
    /// (two pollers would then discard each other's work); throws `leaseLost` if someone else holds it.
    /// Due on the monotonic clock, why: a wall clock set back mid-cycle must not stop the renewals.
    private func renewLeaseIfDue(_ renewedAt: inout Double) throws {
        let now = monotonic.monotonicSeconds()
        guard now - renewedAt >= Double(max(1, options.initialLeaseTTL / 3)) else { return }
        if case let .heldByOther(other) = try store.renewLease(claimant, now: clock.unixNow(), ttl: options.initialLeaseTTL) {
            throw StoreError.leaseLost(holder: other.label, expiresAt: other.expiresAt)
        }
        renewedAt = now
    }

    private func downloadFiles() async -> (downloaded: [JobFileRecord], failed: [JobFileRecord], calls: Int) {
        guard let dataDirectory = options.dataDirectory, options.maxDownloadsPerCycle > 0 else { return ([], [], 0) }
        let pending: [JobFileRecord]
        let now = clock.unixNow()
        do {
            pending = try store.pendingFileDownloads(
                createdSince: now - options.fileMaxAge, now: now, limit: options.maxDownloadsPerCycle)
        } catch {
            return ([], [], 0)
        }
        let downloader = FileDownloader(api: api, directory: dataDirectory.appendingPathComponent("files", isDirectory: true))
        var downloaded: [JobFileRecord] = []
        var failed: [JobFileRecord] = []
        var calls = 0
        for var record in pending {
            calls += 1
            record.attempts += 1
            do {
                let local = try await downloader.fetch(jobID: record.jobID, kind: record.kind, fileID: record.fileID)
                record.localPath = local.path
                record.bytes = local.bytes
                record.sha256 = local.sha256
                record.downloadedAt = clock.unixNow()
                record.status = .downloaded
                record.lastError = nil
                record.nextAttemptAt = nil
                try? store.recordFile(record)
                downloaded.append(record)
            } catch {
                // Fast retries first, then hourly while the job is within its age window; a file the
                // provider no longer has is given up after a few tries, and the record says which.
                let permanent = options.isNotFound(error)
                let at = clock.unixNow()
                record.status = .failed
                record.nextAttemptAt = options.downloadRetry.nextAttempt(afterFailures: record.attempts, permanent: permanent, now: at)
                let outcome = options.downloadRetry.outcome(afterFailures: record.attempts, permanent: permanent, now: at)
                record.lastError = UntrustedText.singleLine("\(outcome): \(options.describeError(error))", limit: 300)
                try? store.recordFile(record)
                failed.append(record)
            }
        }
        return (downloaded, failed, calls)
    }
}
