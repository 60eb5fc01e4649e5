import Foundation

/// One line of a batch input, output or error file, keyed by its `custom_id`.
public struct BatchFileLine: Sendable, Hashable {
    /// The line's `custom_id`.
    public var customID: String
    /// The line as stored, without its newline.
    public var bytes: [UInt8]
}

/// What one output or error line says about its request.
public enum LineOutcome: Sendable, Hashable {
    case succeeded
    /// Failed with this code (`http_500`, `rate_limit_exceeded`, `batch_expired`, ...).
    case failed(code: String)
}

/// Reads batch JSONL files by `custom_id`, reusing the validator's line scanner and the spend scanner's
/// outcome rules, so "succeeded" means the same thing in spend, resubmit and results.
public enum BatchFileLines {
    /// Every line with a string `custom_id`, in file order; lines without one are counted in `skipped`.
    public static func read(_ url: URL) throws -> (lines: [BatchFileLine], skipped: Int) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw OperationError.fileUnreadable(path: url.path, reason: SystemErrorText.reason(error))
        }
        var lines: [BatchFileLine] = []
        var skipped = 0
        let scanner = JSONLineScanner()
        // A UTF-8 byte-order mark may start the file: skipped, as the validator and the spend reader skip it,
        // why: otherwise the first request is dropped as unreadable (found by the JSONL fuzz target).
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        for raw in body.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var bytes = Array(raw)
            if bytes.last == 0x0D { bytes.removeLast() }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard case .success(let scanned) = scanner.scan(bytes), case .string(let slice) = scanned.customID else {
                skipped += 1
                continue
            }
            let id = bytes.withUnsafeBufferPointer { JSONLineScanner.value(slice, in: $0) }
            lines.append(BatchFileLine(customID: id, bytes: bytes))
        }
        return (lines, skipped)
    }

    /// The outcome an output or error line reports; an unreadable line counts as failed (`unreadable_line`).
    public static func outcome(_ line: BatchFileLine) -> LineOutcome {
        let summary = line.bytes.withUnsafeBytes { try? OutputLineScanner.scan($0) }
        switch summary?.outcome {
        case .succeeded: return .succeeded
        case .failed(let code): return .failed(code: code)
        case nil: return .failed(code: "unreadable_line")
        }
    }
}
