/// What batchtop holds locally of one of a job's files.
public struct JobFileRecord: Sendable, Hashable, Codable {
    /// Which of the job's files this is.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case output, error, input
    }

    /// Where the local copy stands.
    public enum Status: String, Sendable, Hashable, Codable {
        case pending, downloaded, failed
    }

    public var jobID: String
    public var kind: Kind
    public var fileID: String
    /// The local copy, once downloaded.
    public var localPath: String?
    public var bytes: Int64?
    /// Lowercase hex SHA-256 of the local copy.
    public var sha256: String?
    public var downloadedAt: Int64?
    public var status: Status
    public var attempts: Int
    /// Why the last download failed.
    public var lastError: String?
    /// After a failure: when the sync tries again (unix seconds); nil when it gave up (see `lastError`).
    public var nextAttemptAt: Int64?

    public init(
        jobID: String, kind: Kind, fileID: String, localPath: String? = nil, bytes: Int64? = nil,
        sha256: String? = nil, downloadedAt: Int64? = nil, status: Status, attempts: Int = 0, lastError: String? = nil,
        nextAttemptAt: Int64? = nil
    ) {
        self.jobID = jobID; self.kind = kind; self.fileID = fileID; self.localPath = localPath
        self.bytes = bytes; self.sha256 = sha256; self.downloadedAt = downloadedAt; self.status = status
        self.attempts = attempts; self.lastError = lastError; self.nextAttemptAt = nextAttemptAt
    }
}
