/// One job with everything known about it: the job, its status timeline and its file records.
public struct JobRecord: Sendable, Hashable {
    public var job: Job
    /// Oldest first.
    public var transitions: [JobTransition]
    public var files: [JobFileRecord]

    public init(job: Job, transitions: [JobTransition], files: [JobFileRecord]) {
        self.job = job; self.transitions = transitions; self.files = files
    }
}
