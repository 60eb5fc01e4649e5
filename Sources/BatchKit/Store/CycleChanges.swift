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

    /// Jobs seen for the first time, in the order written.
    public var newJobs: [Job] = []
    public var statusChanges: [StatusChange] = []
    public var progressChanges: [ProgressChange] = []
    /// Jobs written whose provider data did not change at all.
    public var unchangedCount = 0
    /// Non-terminal jobs in the store after the write.
    public var activeJobCount = 0

    public init() {}

    /// Whether the cycle changed anything a person would notice.
    public var isEmpty: Bool { newJobs.isEmpty && statusChanges.isEmpty && progressChanges.isEmpty }
}
