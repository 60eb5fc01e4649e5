/// What one sync cycle's write changed in the store.
public struct CycleChanges: Sendable, Hashable {
    /// A job's status change.
    public struct StatusChange: Sendable, Hashable {
        public var jobID: String
        public var from: BatchStatus
        public var to: BatchStatus
    }

    /// A job's request counts change.
    public struct ProgressChange: Sendable, Hashable {
        public var jobID: String
        public var from: RequestCounts
        public var to: RequestCounts
    }

    /// A job that the provider has answered 404 for long enough to count as missing (`MissingPolicy`).
    public struct Missing: Sendable, Hashable {
        public var jobID: String
        /// When its run of 404s began (unix seconds).
        public var since: Int64
    }

    /// Jobs seen for the first time, in the order written.
    public var newJobs: [Job] = []
    public var statusChanges: [StatusChange] = []
    public var progressChanges: [ProgressChange] = []
    /// Jobs written whose provider data did not change at all.
    public var unchangedCount = 0
    /// Jobs that became missing in this write.
    public var missing: [Missing] = []
    /// Non-terminal jobs in the store after the write.
    public var activeJobCount = 0

    public init() {}

    /// Whether the cycle changed anything a person would notice.
    public var isEmpty: Bool { newJobs.isEmpty && statusChanges.isEmpty && progressChanges.isEmpty && missing.isEmpty }

    /// Adds the changes of an earlier write of the same cycle (a long listing is written in groups);
    /// `activeJobCount` stays this write's.
    public mutating func absorb(earlier: CycleChanges) {
        newJobs = earlier.newJobs + newJobs
        statusChanges = earlier.statusChanges + statusChanges
        progressChanges = earlier.progressChanges + progressChanges
        missing = earlier.missing + missing
        unchangedCount += earlier.unchangedCount
    }
}
