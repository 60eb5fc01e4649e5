/// What `cancel` did for one job.
public struct CancelOutcome: Sendable, Hashable {
    /// How it ended.
    public enum Kind: Sendable, Hashable {
        /// The provider accepted; `status` is what it answered (normally `cancelling`).
        case requested(status: BatchStatus)
        /// Already cancelling at the provider: nothing sent.
        case alreadyCancelling
        /// The job is terminal; the reason says why nothing was done.
        case refused(reason: String)
        case notFound
        /// The provider call failed; the job keeps "cancel requested" and the action can be repeated.
        case failed(reason: String)
    }
    public var jobID: String
    public var kind: Kind
    /// One line for the terminal or a toast.
    public var message: String
    /// Whether the request is in place (requested or already cancelling).
    public var succeeded: Bool {
        switch kind { case .requested, .alreadyCancelling: true; default: false }
    }
}
