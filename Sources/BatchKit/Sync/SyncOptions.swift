import Foundation

/// What a sync cycle fetches and where it keeps downloaded files.
public struct SyncOptions: Sendable {
    /// Batches per list page (the API allows 1...100).
    public var pageLimit: Int
    /// A listing longer than this many pages is abandoned as a runaway.
    public var maxPages: Int
    /// Where result files go (`<dataDirectory>/files/<job>/`); nil disables downloads.
    public var dataDirectory: URL?
    /// Only jobs created within this many seconds get their files fetched (older ones have likely expired).
    public var fileMaxAge: Int64
    /// At most this many files per cycle, so a first sync of a long history does not stall the poller.
    public var maxDownloadsPerCycle: Int
    /// A file that failed this many times is left alone.
    public var maxDownloadAttempts: Int
    /// The lease length taken at the start of a cycle, long enough for a slow cycle; the worker then
    /// sets it to a few intervals after scheduling the next one.
    public var initialLeaseTTL: Int64
    /// Turns an error into the one-line text stored for the dashboard ("429 rate limited ...").
    public var describeError: @Sendable (any Error) -> String
    /// Whether a GET's error means the batch does not exist (404); such a job is skipped instead of
    /// failing every cycle (e.g. after switching to another project's key).
    public var isNotFound: @Sendable (any Error) -> Bool

    public init(
        pageLimit: Int = 100, maxPages: Int = 100_000, dataDirectory: URL? = nil, fileMaxAge: Int64 = 30 * 86_400,
        maxDownloadsPerCycle: Int = 20, maxDownloadAttempts: Int = 5, initialLeaseTTL: Int64 = 120,
        describeError: @escaping @Sendable (any Error) -> String = { String(describing: $0) },
        isNotFound: @escaping @Sendable (any Error) -> Bool = { _ in false }
    ) {
        self.pageLimit = min(100, max(1, pageLimit)); self.maxPages = max(1, maxPages)
        self.dataDirectory = dataDirectory; self.fileMaxAge = fileMaxAge
        self.maxDownloadsPerCycle = max(0, maxDownloadsPerCycle); self.maxDownloadAttempts = max(1, maxDownloadAttempts)
        self.initialLeaseTTL = max(1, initialLeaseTTL); self.describeError = describeError
        self.isNotFound = isNotFound
    }
}

/// Why a listing was abandoned.
public enum SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API returned `has_more` with a page that does not move the cursor.
    case paginationStuck(after: String?)
    /// The listing ran past `SyncOptions.maxPages`.
    case tooManyPages(Int)

    public var description: String {
        switch self {
        case let .paginationStuck(after):
            return "batch listing did not advance after \(after ?? "the first page"); the API returned has_more without a new last_id"
        case let .tooManyPages(n):
            return "batch listing exceeded \(n) pages; raise SyncOptions.maxPages if this history is real"
        }
    }
}
