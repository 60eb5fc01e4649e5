import Foundation

/// A fresh directory under the system temporary directory, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("batchtop-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A tiny deterministic PRNG for test data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Splits a `multipart/form-data` body into its parts (test-side check of what the client sent).
enum MultipartParser {
    struct Part {
        var name: String?
        var filename: String?
        var headers: [String]
        var body: Data
    }

    static func parse(_ body: Data, boundary: String) -> [Part] {
        let delimiter = Data("--\(boundary)".utf8)
        var parts: [Part] = []
        var ranges: [Range<Data.Index>] = []
        var search = body.startIndex
        while let r = body.range(of: delimiter, in: search..<body.endIndex) {
            ranges.append(r)
            search = r.upperBound
        }
        for (a, b) in zip(ranges, ranges.dropFirst()) {
            // Part content sits between "--boundary\r\n" and "\r\n--boundary".
            let content = body[(a.upperBound + 2)..<(b.lowerBound - 2)]
            guard let split = content.range(of: Data("\r\n\r\n".utf8)) else { continue }
            let headerText = String(decoding: content[content.startIndex..<split.lowerBound], as: UTF8.self)
            let headers = headerText.components(separatedBy: "\r\n")
            func param(_ key: String) -> String? {
                guard let line = headers.first(where: { $0.lowercased().hasPrefix("content-disposition") }),
                    let r = line.range(of: "\(key)=\"")
                else { return nil }
                let rest = line[r.upperBound...]
                return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
            }
            parts.append(Part(name: param("name"), filename: param("filename"), headers: headers, body: Data(content[split.upperBound...])))
        }
        return parts
    }
}
