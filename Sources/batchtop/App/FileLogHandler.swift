import BatchKit
import Foundation
import Logging
import Synchronization

/// A swift-log handler that appends lines to a file, for while the dashboard owns the terminal.
///
/// Rule: full-screen modes log to a file, never stderr, why: a stray line on stderr corrupts the
/// screen an operator is reading. Keys never reach a log (the client redacts them before logging).
struct FileLogHandler: LogHandler {
    /// One open file shared by every logger of the process.
    final class Sink: Sendable {
        private let handle: Mutex<FileHandle?>
        init(url: URL) {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let h = try? FileHandle(forWritingTo: url)
            _ = try? h?.seekToEnd()
            handle = Mutex(h)
        }
        func write(_ line: String) { handle.withLock { try? $0?.write(contentsOf: Data(line.utf8)) } }
    }

    let label: String
    let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let meta = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        // Sanitized like every other output, why: operators `tail -f` this file on a terminal.
        sink.write(UntrustedText.sanitized("\(stamp) \(event.level) \(label): \(event.message)\(meta)") + "\n")
    }

    /// Sends every logger of this process to `url`; call before any logger is created.
    static func bootstrap(url: URL) {
        let sink = Sink(url: url)
        LoggingSystem.bootstrap { label in FileLogHandler(label: label, sink: sink) }
    }
}
