import Foundation

/// One sync cycle: list, fetch what the list missed, write everything in one transaction, download files.
///
/// Rule: the listing stops at the first page holding a job already stored as terminal, why: the list is
/// newest first, so everything below it is known; jobs still active below it are fetched one by one,
/// unless reading on to the oldest of them takes fewer pages than they would take GETs.
/// Until one listing has reached the oldest batch, every page is read, so an interrupted first sync
/// cannot leave a hole. Rule: requests are awaited one at a time, why: never two in flight.
public struct SyncCycle: Sendable {
    public let api: any BatchAPI
    public let store: BatchStore
    public let clock: any WallClock
    public let claimant: LeaseClaimant
    public let options: SyncOptions
    /// Measures how long a silent lease holder has been silent, and when our own lease is due for renewal.
    public let monotonic: any MonotonicClock

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
            var report = try await poll()
            let files = await downloadFiles()
            report.downloaded = files.downloaded
            report.downloadFailures = files.failed
            report.apiCalls += files.calls
            return report
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

    private func poll() async throws -> SyncReport {
        let fullListingDone = try store.freshness().fullListingAt != nil
        let active = try store.nonTerminalJobIDs()
        var batches: [Batch] = []
        var seen = Set<String>()
        var after: String?
        var pages = 0
        var reachedEnd = false
        // Extra pages to read past the stop point, when listing on is cheaper than one GET per active job.
        var extraPages: Int?
        var leaseRenewedAt = monotonic.monotonicSeconds()
        while true {
            try renewLeaseIfDue(&leaseRenewedAt)
            let page = try await api.listBatches(after: after, limit: options.pageLimit)
            pages += 1
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
            if pages >= options.maxPages { throw SyncError.tooManyPages(pages) }
            after = next
        }
        var retrievals = 0
        var missing: [String] = []
        for id in active where !seen.contains(id) {
            try renewLeaseIfDue(&leaseRenewedAt)
            retrievals += 1
            do {
                batches.append(try await api.retrieveBatch(id: id))
            } catch where options.isNotFound(error) {
                missing.append(id)
            }
        }
        let observedAt = clock.unixNow()
        let changes = try store.applyCycle(
            batches, observedAt: observedAt, fullListing: reachedEnd, apiCalls: pages + retrievals,
            claimant: claimant, leaseTTL: options.initialLeaseTTL, missing: missing)
        return SyncReport(role: .poller, changes: changes, apiCalls: pages + retrievals, listPages: pages,
                          retrievals: retrievals, missing: missing, observedAt: observedAt, fullListing: reachedEnd)
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
        do {
            pending = try store.pendingFileDownloads(
                createdSince: clock.unixNow() - options.fileMaxAge, maxAttempts: options.maxDownloadAttempts,
                limit: options.maxDownloadsPerCycle)
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
                try? store.recordFile(record)
                downloaded.append(record)
            } catch {
                record.status = .failed
                record.lastError = UntrustedText.singleLine(options.describeError(error), limit: 300)
                try? store.recordFile(record)
                failed.append(record)
            }
        }
        return (downloaded, failed, calls)
    }
}
