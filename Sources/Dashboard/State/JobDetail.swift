import BatchKit

/// Everything known about one job, for the detail view.
public struct JobDetail: Hashable, Sendable {
    /// The job as the list shows it.
    public var row: JobRow
    /// The provider's batch as last polled: usage, window, metadata and batch errors the list does not hold.
    public var batch: Batch
    /// Status transitions, oldest first.
    public var transitions: [StatusTransition]
    /// Request-level errors grouped by code.
    public var requestErrors: [ErrorGroup]
    /// Why the request errors are empty or incomplete ("error file not downloaded yet"); nil when complete.
    public var requestErrorsNote: String?
    /// Input, output and error files.
    public var files: [FileEntry]
    /// Jobs resubmitted from this one.
    public var childJobIDs: [String]
    /// Routing decisions that concern this job or its workload.
    public var decisions: [DecisionRow]
    /// Operator actions on this job, oldest first.
    public var audit: [AuditEntry]
    /// Since when the provider answers 404 for the job (it counts as missing); nil while it knows it.
    public var missingSince: Int64?

    public init(
        row: JobRow, batch: Batch, transitions: [StatusTransition] = [], requestErrors: [ErrorGroup] = [],
        requestErrorsNote: String? = nil, files: [FileEntry] = [],
        childJobIDs: [String] = [], decisions: [DecisionRow] = [], audit: [AuditEntry] = []
    ) {
        self.row = row; self.batch = batch; self.transitions = transitions; self.requestErrors = requestErrors
        self.requestErrorsNote = requestErrorsNote; self.files = files
        self.childJobIDs = childJobIDs; self.decisions = decisions; self.audit = audit
    }
}

/// A status change seen by the sync worker.
public struct StatusTransition: Hashable, Sendable {
    /// The previous status; nil for the first one seen.
    public var from: BatchStatus?
    /// The new status.
    public var to: BatchStatus
    /// When (unix seconds).
    public var at: Int64

    public init(from: BatchStatus?, to: BatchStatus, at: Int64) { self.from = from; self.to = to; self.at = at }
}

/// Request errors with one code: how many and one example message.
public struct ErrorGroup: Hashable, Sendable {
    /// The error code (`rate_limit_exceeded`).
    public var code: String
    /// How many requests failed with it.
    public var count: Int
    /// One message with this code (untrusted text).
    public var example: String

    public init(code: String, count: Int, example: String) { self.code = code; self.count = count; self.example = example }
}

/// A file attached to a job.
public struct FileEntry: Hashable, Sendable {
    /// "input", "output" or "error".
    public var role: String
    /// The provider file id.
    public var id: String
    /// The file name (untrusted text).
    public var filename: String?
    /// Size in bytes.
    public var bytes: Int64?

    public init(role: String, id: String, filename: String? = nil, bytes: Int64? = nil) {
        self.role = role; self.id = id; self.filename = filename; self.bytes = bytes
    }
}

/// One audit row: who did what, when.
public struct AuditEntry: Hashable, Sendable {
    /// When (unix seconds).
    public var at: Int64
    /// Who acted.
    public var actor: String
    /// What they did (`cancel`, `resubmit`).
    public var action: String
    /// Details (untrusted text).
    public var detail: String

    public init(at: Int64, actor: String, action: String, detail: String) {
        self.at = at; self.actor = actor; self.action = action; self.detail = detail
    }
}
