import BatchEmulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport

/// A plain HTTP response as a test sees it.
struct TestResponse {
    var status: Int
    var headers: [String: String]
    var body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `error.param` / `error.code` of an error body.
    var errorParam: String? { (json["error"] as? [String: Any])?["param"] as? String }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
}

/// Failures of the test client itself.
struct TestClientError: Error, CustomStringConvertible {
    var description: String
}

/// Drives an in-process emulator over real HTTP with URLSession.
struct HTTPTestClient {
    let harness: EmulatorHarness
    let session: URLSession

    init(_ harness: EmulatorHarness) {
        self.harness = harness
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 30
        session = URLSession(configuration: configuration)
    }

    enum Key { case project, admin, none, custom(String) }

    func send(_ method: String, _ path: String, key: Key = .project, json: Any? = nil, body: Data? = nil,
              contentType: String? = nil, root: Bool = false) async throws -> TestResponse {
        let base = root ? harness.rootURL.absoluteString : harness.baseURL.absoluteString
        guard let url = URL(string: base + path) else { throw TestClientError(description: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = method
        switch key {
        case .project: request.setValue("Bearer \(harness.projectKey)", forHTTPHeaderField: "Authorization")
        case .admin: request.setValue("Bearer \(harness.adminKey)", forHTTPHeaderField: "Authorization")
        case .custom(let value): request.setValue("Bearer \(value)", forHTTPHeaderField: "Authorization")
        case .none: break
        }
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await data(for: request)
        guard let http = response as? HTTPURLResponse else { throw TestClientError(description: "not an HTTP response") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers["\(name)"] = "\(value)" }
        return TestResponse(status: http.statusCode, headers: headers, body: data)
    }

    private func data(for request: URLRequest) async throws -> (Data, URLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                guard let response else { continuation.resume(throwing: TestClientError(description: "no response")); return }
                continuation.resume(returning: (data ?? Data(), response))
            }.resume()
        }
    }

    /// A multipart body with the given text fields and one file part.
    static func multipart(fields: [(String, String)], file: Data?, filename: String = "input.jsonl",
                          boundary: String = "emu-test-boundary-7d9f") -> (Data, String) {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/jsonl\r\n\r\n".utf8))
            body.append(file)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    func upload(_ content: Data, purpose: String = "batch", filename: String = "input.jsonl",
                extra: [(String, String)] = []) async throws -> TestResponse {
        let (body, type) = Self.multipart(fields: [("purpose", purpose)] + extra, file: content, filename: filename)
        return try await send("POST", "/files", body: body, contentType: type)
    }

    /// Uploads `lines` as a batch input file and returns its id.
    func uploadLines(_ lines: [String]) async throws -> String {
        let response = try await upload(Data((lines.joined(separator: "\n") + "\n").utf8))
        guard response.status == 200, let id = response.json["id"] as? String else {
            throw TestClientError(description: "upload failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// Uploads lines and creates a batch; returns the Batch object.
    func submit(_ lines: [String], endpoint: String = "/v1/chat/completions",
                metadata: [String: String]? = nil) async throws -> [String: Any] {
        let fileID = try await uploadLines(lines)
        var body: [String: Any] = ["input_file_id": fileID, "endpoint": endpoint, "completion_window": "24h"]
        if let metadata { body["metadata"] = metadata }
        let response = try await send("POST", "/batches", json: body)
        guard response.status == 200 else { throw TestClientError(description: "create failed: \(response.text)") }
        return response.json
    }

    func batch(_ id: String) async throws -> [String: Any] { try await send("GET", "/batches/\(id)").json }

    func content(_ fileID: String) async throws -> [[String: Any]] {
        let response = try await send("GET", "/files/\(fileID)/content")
        return response.text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }
}

/// Input lines for tests.
enum Lines {
    static func chat(_ count: Int, model: String = "gpt-4o-mini", prefix: String = "req", words: Int = 12) -> [String] {
        (1...count).map { index in
            let text = Array(repeating: "word\(index)", count: words).joined(separator: " ")
            return #"{"custom_id":"\#(prefix)-\#(index)","method":"POST","url":"/v1/chat/completions","body":{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]}}"#
        }
    }

    static func responses(_ count: Int, model: String = "gpt-5-mini") -> [String] {
        (1...count).map { #"{"custom_id":"r-\#($0)","method":"POST","url":"/v1/responses","body":{"model":"\#(model)","input":"classify item \#($0)"}}"# }
    }

    static func embeddings(_ count: Int) -> [String] {
        (1...count).map { #"{"custom_id":"e-\#($0)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"doc \#($0)","dimensions":4}}"# }
    }
}

extension Dictionary where Key == String, Value == Any {
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    /// The integer at `key`, or a huge negative sentinel that fails any sane expectation without crashing.
    func n(_ key: String) -> Int { int(key) ?? Int.min / 8 }
    func string(_ key: String) -> String? { self[key] as? String }
    func object(_ key: String) -> [String: Any] { (self[key] as? [String: Any]) ?? [:] }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}
