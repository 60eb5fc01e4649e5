import BatchKit

/// Everything known about one job, for the detail view.
public struct JobDetail: Hashable, Sendable {
    public var row: JobRow
    /// Status transitions, oldest first.
    public var transitions: [StatusTransition]
    /// Request-level errors grouped by code.
    public var requestErrors: [ErrorGroup]
    /// Input, output and error files.
    public var files: [FileEntry]
    /// Jobs resubmitted from this one.
    public var childJobIDs: [String]
    /// Routing decisions that concern this job or its workload.
    public var decisions: [DecisionRow]
    public var audit: [AuditEntry]

    public init(
        row: JobRow, transitions: [StatusTransition] = [], requestErrors: [ErrorGroup] = [], files: [FileEntry] = [],
        childJobIDs: [String] = [], decisions: [DecisionRow] = [], audit: [AuditEntry] = []
    ) {
        self.row = row; self.transitions = transitions; self.requestErrors = requestErrors; self.files = files
        self.childJobIDs = childJobIDs; self.decisions = decisions; self.audit = audit
    }
}

/// A status change seen by the sync worker.
public struct StatusTransition: Hashable, Sendable {
    public var from: BatchStatus?
    public var to: BatchStatus
    public var at: Int64

    public init(from: BatchStatus?, to: BatchStatus, at: Int64) { self.from = from; self.to = to; self.at = at }
}

/// Request errors with one code: how many and one example message.
public struct ErrorGroup: Hashable, Sendable {
    public var code: String
    public var count: Int
    public var example: String

    public init(code: String, count: Int, example: String) { self.code = code; self.count = count; self.example = example }
}

/// A file attached to a job.
public struct FileEntry: Hashable, Sendable {
    /// "input", "output" or "error".
    public var role: String
    public var id: String
    public var filename: String?
    public var bytes: Int64?

    public init(role: String, id: String, filename: String? = nil, bytes: Int64? = nil) {
        self.role = role; self.id = id; self.filename = filename; self.bytes = bytes
    }
}

/// One audit row: who did what, when.
public struct AuditEntry: Hashable, Sendable {
    public var at: Int64
    public var actor: String
    public var action: String
    public var detail: String

    public init(at: Int64, actor: String, action: String, detail: String) {
        self.at = at; self.actor = actor; self.action = action; self.detail = detail
    }
}
