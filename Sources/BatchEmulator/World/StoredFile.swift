import Foundation

/// A file the emulator holds: metadata in memory, content on disk.
struct StoredFile: Sendable {
    var id: String
    var filename: String
    var purpose: String
    var bytes: Int64
    var createdAt: Int64
    var expiresAt: Int64?
    var path: URL

    var json: JSON {
        .object([
            ("id", .string(id)), ("object", .string("file")), ("bytes", .int(bytes)),
            ("created_at", .int(createdAt)), ("expires_at", .int(expiresAt)),
            ("filename", .string(filename)), ("purpose", .string(purpose)),
            ("status", .string("processed")), ("status_details", .null),
        ])
    }
}
