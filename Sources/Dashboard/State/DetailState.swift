/// The job detail view: which job, what has loaded, and the scroll position.
public struct DetailState: Hashable, Sendable {
    /// The job shown.
    public var jobID: String
    /// Nil until `jobDetailLoaded` arrives; the view shows the list row meanwhile.
    public var detail: JobDetail?
    /// First line shown.
    public var scroll: Int

    public init(jobID: String, detail: JobDetail? = nil, scroll: Int = 0) {
        self.jobID = jobID; self.detail = detail; self.scroll = scroll
    }
}
