import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Downloads one provider file into the data directory: streamed to a temporary file, checksummed,
/// then renamed into place so a reader never sees a partial file.
struct FileDownloader: Sendable {
    let api: any BatchAPI
    /// `<data>/files`.
    let directory: URL

    struct Local: Sendable {
        var path: String
        var bytes: Int64
        var sha256: String
    }

    /// Where a job's file lives: `<files>/<job>/<kind>-<file>.jsonl`, ids reduced to safe characters.
    func destination(jobID: String, kind: JobFileRecord.Kind, fileID: String) -> URL {
        Self.destination(in: directory, jobID: jobID, kind: kind, fileID: fileID)
    }

    /// `<directory>/<job>/<kind>-<file>.jsonl`, the one layout of a job's local files.
    static func destination(in directory: URL, jobID: String, kind: JobFileRecord.Kind, fileID: String) -> URL {
        directory.appendingPathComponent(safe(jobID), isDirectory: true)
            .appendingPathComponent("\(kind.rawValue)-\(safe(fileID)).jsonl")
    }

    func fetch(jobID: String, kind: JobFileRecord.Kind, fileID: String) async throws -> Local {
        let final = destination(jobID: jobID, kind: kind, fileID: fileID)
        let folder = final.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temp = folder.appendingPathComponent(".\(final.lastPathComponent).\(UUID().uuidString).partial")
        do {
            _ = try await api.downloadFileContent(id: fileID, to: temp)
            _ = chmod(temp.path, 0o600)
            // Checksum what is on disk, not what the API reported: the disk copy is what later readers trust.
            let (digest, bytes) = try SHA256.hexOfFile(at: temp)
            guard rename(temp.path, final.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path,
                    NSLocalizedDescriptionKey: "rename into \(final.path) failed: \(String(cString: strerror(errno)))"])
            }
            return Local(path: final.path, bytes: bytes, sha256: digest)
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Keeps letters, digits, `-` and `_`; anything else (a `/`, `..`, control bytes) becomes `_`.
    static func safe(_ id: String) -> String {
        let cleaned = String(id.unicodeScalars.prefix(128).map { s -> Character in
            (s.isASCII && (CharacterSet.alphanumerics.contains(s) || s == "-" || s == "_")) ? Character(s) : "_"
        })
        return cleaned.isEmpty ? "_" : cleaned
    }
}
