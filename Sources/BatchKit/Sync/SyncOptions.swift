import Foundation

/// What a sync cycle fetches and where it keeps downloaded files.
public struct SyncOptions: Sendable {
    /// Batches per list page (the API allows 1...100).
    public var pageLimit: Int
    /// A listing longer than this many pages is stopped as a runaway (what it read is kept).
    ///
    /// 2,500 pages of 100 is 250,000 batches: two and a half times a 100,000-job history, so a real
    /// first sync fits, and a provider that keeps answering `has_more` with new cursors is stopped.
    public var maxPages: Int
    /// A listing whose response bodies add up to more than this many bytes is stopped as a runaway.
    ///
    /// 1 GiB, why: a 100,000-job listing is about 110 MB; 2,364 pages of a hostile provider were 261 MB.
    public var maxListingBytes: Int
    /// A long listing is written to the store every this many batches (or `commitEveryBytes`), so
    /// memory stays bounded and a listing cut short keeps what it read.
    public var commitEveryBatches: Int
    public var commitEveryBytes: Int
    /// A long listing says how far it got every this many pages ("listing batches: page 40 of ?").
    public var progressEveryPages: Int
    /// When a job the provider answers 404 for counts as missing, and how often it is re-checked.
    public var missing: MissingPolicy
    /// Where result files go (`<dataDirectory>/files/<job>/`); nil disables downloads.
    public var dataDirectory: URL?
    /// Only jobs created within this many seconds get their files fetched (older ones have likely expired).
    public var fileMaxAge: Int64
    /// At most this many files per cycle, so a first sync of a long history does not stall the poller.
    public var maxDownloadsPerCycle: Int
    /// How a failed download is retried: fast at first, then slowly while the job is within `fileMaxAge`.
    public var downloadRetry: DownloadRetryPolicy
    /// The lease length taken at the start of a cycle, long enough for a slow cycle; the worker then
    /// sets it to a few intervals after scheduling the next one.
    public var initialLeaseTTL: Int64
    /// Turns an error into the one-line text stored for the dashboard ("429 rate limited ...").
    public var describeError: @Sendable (any Error) -> String
    /// Whether a GET's error means the batch does not exist (404); such a job is skipped instead of
    /// failing every cycle (e.g. after switching to another project's key).
    public var isNotFound: @Sendable (any Error) -> Bool

    public init(
        pageLimit: Int = 100, maxPages: Int = 2_500, maxListingBytes: Int = 1 << 30, commitEveryBatches: Int = 5_000,
        commitEveryBytes: Int = 32 << 20, progressEveryPages: Int = 10, missing: MissingPolicy = MissingPolicy(),
        dataDirectory: URL? = nil, fileMaxAge: Int64 = 30 * 86_400,
        maxDownloadsPerCycle: Int = 20, downloadRetry: DownloadRetryPolicy = DownloadRetryPolicy(), initialLeaseTTL: Int64 = 120,
        describeError: @escaping @Sendable (any Error) -> String = { String(describing: $0) },
        isNotFound: @escaping @Sendable (any Error) -> Bool = { _ in false }
    ) {
        self.pageLimit = min(100, max(1, pageLimit)); self.maxPages = max(1, maxPages)
        self.maxListingBytes = max(1, maxListingBytes); self.commitEveryBatches = max(1, commitEveryBatches)
        self.commitEveryBytes = max(1, commitEveryBytes); self.progressEveryPages = max(1, progressEveryPages)
        self.missing = missing
        self.dataDirectory = dataDirectory; self.fileMaxAge = fileMaxAge
        self.maxDownloadsPerCycle = max(0, maxDownloadsPerCycle); self.downloadRetry = downloadRetry
        self.initialLeaseTTL = max(1, initialLeaseTTL); self.describeError = describeError
        self.isNotFound = isNotFound
    }
}

/// Why a listing was abandoned.
public enum SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API returned `has_more` with a page that does not move the cursor.
    case paginationStuck(after: String?)
    /// The listing reached `SyncOptions.maxPages` pages (holding `batches` batches) without reaching the end.
    case tooManyPages(Int, batches: Int = 0)
    /// The listing's responses reached `SyncOptions.maxListingBytes` after `pages` pages.
    case listingTooLarge(bytes: Int, pages: Int)

    public var description: String {
        switch self {
        case let .paginationStuck(after):
            return "batch listing did not advance after \(after ?? "the first page"); the API returned has_more without a new last_id"
        case let .tooManyPages(n, batches):
            return "batch listing stopped at its cap of \(n) pages (\(batches) batches) without reaching the end; "
                + "what it read is saved. Either the provider keeps answering has_more with new cursors (check "
                + "OPENAI_BASE_URL), or this history is longer than the cap allows (SyncOptions.maxPages)"
        case let .listingTooLarge(bytes, pages):
            return "batch listing stopped after \(pages) pages at its cap of \(bytes / 1_048_576) MB of responses without "
                + "reaching the end; what it read is saved. Check OPENAI_BASE_URL: a real listing of 100,000 jobs is about 110 MB"
        }
    }
}
