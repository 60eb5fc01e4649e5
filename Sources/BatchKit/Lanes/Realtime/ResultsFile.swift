import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The results JSONL of a real-time run: appended one whole line per write, read back on resume.
///
/// What may be at its path, and the mode it is created with (0600), follow `OutputFile`'s rule.
final class ResultsFile: Sendable {
    let path: String
    private let fd: Mutex<Int32>

    init(path: String) throws(RealtimeRunError) {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        // The output-file rule (OutputFile): a regular file or nothing, created 0600; links and devices refused.
        let handle: Int32
        do { handle = try OutputFile.openForAppending(path) } catch { throw .results(path: path, reason: error.reason) }
        fd = Mutex(handle)
    }

    /// Appends one line with a single `write(2)` under the lock, so lines never interleave.
    func append(_ line: Data) throws(RealtimeRunError) {
        let failure: Int32? = fd.withLock { handle in
            line.withUnsafeBytes { raw -> Int32? in
                var done = 0
                while done < raw.count {
                    let put = write(handle, raw.baseAddress! + done, raw.count - done)
                    if put < 0 { if errno == EINTR { continue }; return errno }
                    done += put
                }
                return nil
            }
        }
        if let failure { throw .results(path: path, reason: String(cString: strerror(failure))) }
    }

    func close() { fd.withLock { if $0 >= 0 { closeDescriptor($0); $0 = -1 } } }

    /// The `custom_id`s already answered in the file at `path`; cuts off a torn last line first.
    static func answeredIDs(at path: String) throws(RealtimeRunError) -> Set<String> {
        do {
            guard try OutputFile.requireAppendable(path) else { return [] }
        } catch {
            throw .results(path: path, reason: error.reason)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .results(path: path, reason: "it cannot be read")
        }
        var end = data.count
        if let last = data.last, last != 0x0A {
            end = (data.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
            guard truncate(path, off_t(end)) == 0 else { throw .results(path: path, reason: String(cString: strerror(errno))) }
        }
        struct Line: Decodable { var custom_id: String? }
        var ids = Set<String>()
        let decoder = JSONDecoder()
        for line in data.prefix(end).split(separator: 0x0A) where !line.isEmpty {
            if let id = (try? decoder.decode(Line.self, from: line))?.custom_id { ids.insert(id) }
        }
        return ids
    }
}

/// `close(2)`, named apart from `ResultsFile.close()`.
private func closeDescriptor(_ fd: Int32) { _ = close(fd) }
