import Foundation

/// The provider operations batchtop needs; the URLSession client implements it, tests substitute it.
public protocol BatchAPI: Sendable {
    /// One page of batches, newest first.
    func listBatches(after: String?, limit: Int) async throws -> BatchPage
    /// One batch by id.
    func retrieveBatch(id: String) async throws -> Batch
    /// Creates a batch. Never retried blindly: see `BatchCreator` for the reconcile-on-ambiguity path.
    func createBatch(_ request: CreateBatchRequest) async throws -> Batch
    /// Asks the provider to cancel a batch; returns it, normally `cancelling`.
    func cancelBatch(id: String) async throws -> Batch
    /// Uploads a file from disk, streamed, with the given purpose (`batch` for batch input).
    func uploadFile(at path: URL, purpose: String) async throws -> FileObject
    /// File metadata by id.
    func retrieveFile(id: String) async throws -> FileObject
    /// Streams a file's content to `destination`; returns the number of bytes written.
    func downloadFileContent(id: String, to destination: URL) async throws -> Int64
    /// Deletes a file.
    func deleteFile(id: String) async throws
}

/// A page of `GET /batches`.
public struct BatchPage: Codable, Sendable, Hashable {
    public var data: [Batch]
    public var firstID: String?
    public var lastID: String?
    public var hasMore: Bool
    /// Bytes of the response body, when the client knows (0 otherwise); not part of the wire format.
    /// The sync bounds a listing's total size with it.
    public var responseBytes: Int = 0

    public init(data: [Batch], firstID: String? = nil, lastID: String? = nil, hasMore: Bool) {
        self.data = data; self.firstID = firstID ?? data.first?.id; self.lastID = lastID ?? data.last?.id
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case data
        case firstID = "first_id"
        case lastID = "last_id"
        case hasMore = "has_more"
    }
}

/// The body of `POST /batches`.
public struct CreateBatchRequest: Codable, Sendable, Hashable {
    public var inputFileID: String
    public var endpoint: String
    public var completionWindow: String
    public var metadata: [String: String]?

    public init(inputFileID: String, endpoint: String, completionWindow: String = "24h", metadata: [String: String]? = nil) {
        self.inputFileID = inputFileID; self.endpoint = endpoint
        self.completionWindow = completionWindow; self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case inputFileID = "input_file_id"
        case endpoint
        case completionWindow = "completion_window"
        case metadata
    }
}

/// A provider file object (`GET /files/{id}`).
public struct FileObject: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var bytes: Int64
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var filename: String
    public var purpose: String
    public var status: String?

    public init(id: String, bytes: Int64, createdAt: Int64, expiresAt: Int64? = nil, filename: String, purpose: String, status: String? = nil) {
        self.id = id; self.bytes = bytes; self.createdAt = createdAt; self.expiresAt = expiresAt
        self.filename = filename; self.purpose = purpose; self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, bytes, filename, purpose, status
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        bytes = try c.decodeIfPresent(Int64.self, forKey: .bytes) ?? 0
        createdAt = try c.decodeIfPresent(Int64.self, forKey: .createdAt) ?? 0
        expiresAt = try c.decodeIfPresent(Int64.self, forKey: .expiresAt)
        filename = try c.decodeIfPresent(String.self, forKey: .filename) ?? ""
        purpose = try c.decodeIfPresent(String.self, forKey: .purpose) ?? ""
        status = try c.decodeIfPresent(String.self, forKey: .status)
    }
}
