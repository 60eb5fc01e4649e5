import Foundation

/// A streaming `multipart/form-data` parser: bytes in, part events out, never the whole body in memory.
struct MultipartParser {
    /// What the parser found.
    enum Event {
        case partStart(name: String, filename: String?)
        case partData(Data)
        case partEnd
    }

    /// Why a body is not valid multipart.
    struct Malformed: Error { var reason: String }

    private enum State { case preamble, headers, body, afterBoundary, done }

    private let opening: [UInt8]
    private let delimiter: [UInt8]
    private var buffer: [UInt8] = []
    private var state = State.preamble
    /// Largest header block of one part.
    private let maxHeaderBytes = 16 * 1024

    var isComplete: Bool { state == .done }

    init(boundary: String) {
        opening = Array("--\(boundary)".utf8)
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The boundary from a `Content-Type` header, if it is multipart/form-data.
    static func boundary(fromContentType value: String?) -> String? {
        guard let value, value.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let raw = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return raw.isEmpty || raw.utf8.count > 200 ? nil : raw
            }
        }
        return nil
    }

    /// Feeds the next chunk of the body.
    mutating func feed(_ chunk: Data, _ emit: (Event) throws -> Void) throws {
        buffer.append(contentsOf: chunk)
        while true {
            switch state {
            case .done:
                buffer.removeAll()
                return
            case .preamble:
                guard let position = find(opening, in: buffer) else {
                    if buffer.count > opening.count { buffer.removeFirst(buffer.count - opening.count) }
                    return
                }
                buffer.removeFirst(position + opening.count)
                state = .afterBoundary
            case .afterBoundary:
                guard buffer.count >= 2 else { return }
                if buffer[0] == 0x2D, buffer[1] == 0x2D {
                    state = .done
                } else if buffer[0] == 0x0D, buffer[1] == 0x0A {
                    buffer.removeFirst(2)
                    state = .headers
                } else {
                    throw Malformed(reason: "unexpected bytes after a boundary")
                }
            case .headers:
                guard let end = find(Array("\r\n\r\n".utf8), in: buffer) else {
                    if buffer.count > maxHeaderBytes { throw Malformed(reason: "part headers too large") }
                    return
                }
                guard let text = String(bytes: buffer[0..<end], encoding: .utf8) else {
                    throw Malformed(reason: "part headers are not UTF-8")
                }
                buffer.removeFirst(end + 4)
                let (name, filename) = try Self.disposition(text)
                try emit(.partStart(name: name, filename: filename))
                state = .body
            case .body:
                if let position = find(delimiter, in: buffer) {
                    if position > 0 { try emit(.partData(Data(buffer[0..<position]))) }
                    try emit(.partEnd)
                    buffer.removeFirst(position + delimiter.count)
                    state = .afterBoundary
                } else {
                    let safe = buffer.count - (delimiter.count - 1)
                    if safe > 0 {
                        try emit(.partData(Data(buffer[0..<safe])))
                        buffer.removeFirst(safe)
                    }
                    return
                }
            }
        }
    }

    /// Call at the end of the body: throws unless the closing boundary was seen.
    func finish() throws {
        guard state == .done else { throw Malformed(reason: "the body ended before the closing boundary") }
    }

    private static func disposition(_ headers: String) throws -> (String, String?) {
        for line in headers.components(separatedBy: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
            var name: String?
            var filename: String?
            for item in pair[1].split(separator: ";") {
                let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { continue }
                let value = kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2
                    ? String(kv[1].dropFirst().dropLast()) : kv[1]
                switch kv[0].lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            if let name { return (name, filename) }
        }
        throw Malformed(reason: "a part has no Content-Disposition name")
    }

    /// First index of `needle` in `haystack`, using memchr to skip quickly to candidate bytes.
    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { pattern -> Int? in
                let first = Int32(pattern[0])
                var offset = 0
                let last = hay.count - pattern.count
                while offset <= last {
                    guard let raw = memchr(hay.baseAddress! + offset, first, last - offset + 1) else { return nil }
                    let position = hay.baseAddress!.distance(to: raw.assumingMemoryBound(to: UInt8.self))
                    if memcmp(hay.baseAddress! + position, pattern.baseAddress!, pattern.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
    }
}
