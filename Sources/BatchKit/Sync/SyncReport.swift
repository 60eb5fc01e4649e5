import Foundation

/// What one sync cycle did: the changes it wrote and what it cost.
public struct SyncReport: Sendable, Hashable {
    /// Whether this process polled, or stood by because another holds the lease.
    public enum Role: Sendable, Hashable {
        case poller
        case standby(LeaseRecord)
    }

    public var role: Role
    /// The changes written (empty when standing by).
    public var changes: CycleChanges
    /// API calls made: list pages, GETs and file downloads.
    public var apiCalls: Int
    public var listPages: Int
    public var retrievals: Int
    /// Active jobs the provider answered 404 for in this cycle (a streak starts or goes on).
    public var notFound: [String]
    /// Jobs that became missing in this cycle (`MissingPolicy`): re-checked only slowly from now on.
    public var missing: [String]
    /// Files downloaded this cycle and files that failed.
    public var downloaded: [JobFileRecord]
    public var downloadFailures: [JobFileRecord]
    /// When the cycle's observations were stamped.
    public var observedAt: Int64
    /// Whether the listing reached the oldest batch.
    public var fullListing: Bool

    public init(
        role: Role, changes: CycleChanges = CycleChanges(), apiCalls: Int = 0, listPages: Int = 0, retrievals: Int = 0,
        notFound: [String] = [], missing: [String] = [], downloaded: [JobFileRecord] = [], downloadFailures: [JobFileRecord] = [], observedAt: Int64, fullListing: Bool = false
    ) {
        self.role = role; self.changes = changes; self.apiCalls = apiCalls; self.listPages = listPages
        self.retrievals = retrievals; self.notFound = notFound; self.missing = missing; self.downloaded = downloaded; self.downloadFailures = downloadFailures
        self.observedAt = observedAt; self.fullListing = fullListing
    }

    /// Human lines, one per change, for `batchtop sync` (untrusted text is the caller's to sanitize).
    public var changeLines: [String] {
        var lines: [String] = []
        for job in changes.newJobs {
            lines.append("new \(job.id) \(job.batch.status) \(job.workload ?? "-") \(job.batch.requestCounts.completed)/\(job.batch.requestCounts.total)")
        }
        for c in changes.statusChanges { lines.append("status \(c.jobID) \(c.from) -> \(c.to)") }
        for p in changes.progressChanges {
            lines.append("progress \(p.jobID) \(p.to.completed)/\(p.to.total) done, \(p.to.failed) failed")
        }
        let becameMissing = Set(missing)
        for id in notFound where !becameMissing.contains(id) {
            lines.append("not found \(id): the provider answered 404; checking again before counting it missing")
        }
        for m in changes.missing {
            lines.append("missing \(m.jobID): the provider has answered 404 since \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(m.since)))); still re-checked, slowly")
        }
        for f in downloaded { lines.append("file \(f.jobID) \(f.kind.rawValue) \(f.fileID) \(f.bytes ?? 0) bytes sha256 \(f.sha256 ?? "?")") }
        for f in downloadFailures { lines.append("file \(f.jobID) \(f.kind.rawValue) \(f.fileID) failed: \(f.lastError ?? "?")") }
        return lines
    }
}
