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

    /// A transport failure in the operator's words, naming the host (and port) and what to check:
    /// "cannot resolve host api.example.com — check OPENAI_BASE_URL", "connection refused
    /// (127.0.0.1:8799) — is the server running?". The one place URLError codes become text.
    static func transportWords(_ code: URLError.Code, base: URL, timeout: Double, detail: String) -> String {
        let host = base.host ?? base.absoluteString
        let port = base.port ?? (base.scheme?.lowercased() == "http" ? 80 : 443)
        let endpoint = "\(host):\(port)"
        let setting = "OPENAI_BASE_URL ([api] base_url)"
        switch code {
        case .cannotFindHost, .dnsLookupFailed:
            return "cannot resolve host \(host) — check \(setting) and this machine's DNS"
        case .cannotConnectToHost:
            return "connection refused (\(endpoint)) — is the server running? check \(setting)"
        case .timedOut:
            return "no answer from \(endpoint) within \(APIError.seconds(timeout)) — check the network, or raise [api] timeout_seconds"
        case .notConnectedToInternet:
            return "no network connection (while reaching \(endpoint))"
        case .networkConnectionLost:
            return "the connection to \(endpoint) broke before the answer arrived"
        case .secureConnectionFailed:
            return "TLS handshake with \(endpoint) failed — check that \(setting) uses the scheme the server speaks (https or http)"
        case .serverCertificateUntrusted, .serverCertificateHasUnknownRoot:
            return "TLS: the certificate of \(endpoint) is not trusted — check \(setting), or this machine's CA certificates"
        case .serverCertificateHasBadDate, .serverCertificateNotYetValid:
            return "TLS: the certificate of \(endpoint) is expired or not yet valid — check this machine's clock"
        case .clientCertificateRejected:
            return "TLS: \(endpoint) rejected this machine's client certificate"
        case .badURL, .unsupportedURL:
            return "\(base.absoluteString) is not a usable API URL — check \(setting)"
        case .badServerResponse, .cannotParseResponse, .zeroByteResource:
            return "\(endpoint) sent an answer that is not HTTP — check \(setting)"
        default:
            return "\(endpoint): \(detail)"
        }
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
