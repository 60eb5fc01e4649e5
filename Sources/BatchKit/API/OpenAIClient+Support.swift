import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Pure helpers of `OpenAIClient`: error summaries, path encoding, and atomic file placement.
extension OpenAIClient {
    /// A one-line account of a decoding failure, naming the JSON path that broke.
    static func summary(of error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(pathString(context.codingPath + [key]))"
        case DecodingError.typeMismatch(let type, let context):
            return "\(pathString(context.codingPath)) is not a \(type)"
        case DecodingError.valueNotFound(let type, let context):
            return "\(pathString(context.codingPath)) is null, expected \(type)"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(pathString(context.codingPath)) is corrupted"
        default:
            return String(describing: error)
        }
    }

    static func pathString(_ path: [CodingKey]) -> String {
        path.isEmpty ? "body" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Percent-encodes an id for use as one path segment; rejects empty ids.
    static func pathComponent(_ id: String, method: String, what: String) throws -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        guard !id.isEmpty, let encoded = id.addingPercentEncoding(withAllowedCharacters: allowed) else {
            throw APIError(kind: .invalidRequest, message: "the \(what) is empty", method: method, path: "/")
        }
        return encoded
    }

    static func prefix(of file: URL, limit: Int) -> Data {
        guard let handle = FileHandle(forReadingAtPath: file.path) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: limit)) ?? Data()
    }

    /// Moves a finished download next to `destination`, then renames it into place in one step.
    ///
    /// Rule: never write the destination directly, why: a reader (or a crash) must see either the old file
    /// or the complete new one, never a partial download.
    static func placeAtomically(_ temp: URL, at destination: URL) throws -> Int64 {
        let fm = FileManager.default
        let dir = destination.deletingLastPathComponent()
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let staging = dir.appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        // moveItem copies when the temporary directory is on another file system.
        try fm.moveItem(at: temp, to: staging)
        guard rename(staging.path, destination.path) == 0 else {
            let code = errno
            try? fm.removeItem(at: staging)
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSFilePathErrorKey: destination.path,
                NSLocalizedDescriptionKey: String(cString: strerror(code)),
            ])
        }
        let attributes = try fm.attributesOfItem(atPath: destination.path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }
}
