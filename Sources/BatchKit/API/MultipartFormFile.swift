import Foundation

/// A `multipart/form-data` request body written to a temporary file, so an upload streams from disk.
///
/// Rule: the source file is copied in fixed-size chunks, never read whole, why: batch input files may
/// be 200 MB and the dashboard shares the process.
struct MultipartFormFile: Sendable {
    /// The temporary file holding the whole body; delete it with `remove()` when the upload is over.
    let url: URL
    /// The boundary, for the `Content-Type` header.
    let boundary: String
    /// The body size in bytes.
    let size: Int64

    /// The `Content-Type` header value.
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The chunk size of the streaming copy.
    static let chunkSize = 1 << 20

    /// Writes the body: the text `fields` first, then `file` as the part named `fileField`.
    static func write(
        fields: [(name: String, value: String)], fileField: String, file: URL, filename: String,
        contentType: String = "application/octet-stream", in directory: URL = FileManager.default.temporaryDirectory
    ) throws -> MultipartFormFile {
        let boundary = "batchtop-" + UUID().uuidString
        let url = directory.appendingPathComponent("batchtop-upload-\(UUID().uuidString).multipart")
        guard let source = FileHandle(forReadingAtPath: file.path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: file.path])
        }
        defer { try? source.close() }
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let sink = FileHandle(forWritingAtPath: url.path)
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        var written: Int64 = 0
        do {
            defer { try? sink.close() }
            func put(_ text: String) throws {
                let data = Data(text.utf8)
                try sink.write(contentsOf: data)
                written += Int64(data.count)
            }
            for field in fields {
                try put("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(field.name))\"\r\n\r\n\(field.value)\r\n")
            }
            try put(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(quoted(fileField))\"; filename=\"\(quoted(filename))\"\r\n"
                    + "Content-Type: \(contentType)\r\n\r\n")
            while let chunk = try source.read(upToCount: chunkSize), !chunk.isEmpty {
                try sink.write(contentsOf: chunk)
                written += Int64(chunk.count)
            }
            try put("\r\n--\(boundary)--\r\n")
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        return MultipartFormFile(url: url, boundary: boundary, size: written)
    }

    /// Deletes the temporary body file.
    func remove() { try? FileManager.default.removeItem(at: url) }

    /// A header parameter value with quotes, backslashes and line breaks neutralised.
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
