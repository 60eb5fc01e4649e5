import Foundation

/// Result lines in the Batch API's output format, so both lanes' results read alike.
///
/// `{"id":"batch_req_…","custom_id":…,"response":{"status_code":…,"request_id":…,"body":…},"error":null}`;
/// a request that never got an answer has `"response":null` and an `error` object.
enum ResultLine {
    static func success(customID: String, reply: RealtimeReply) -> Data {
        var line = Data("{\"id\":".utf8)
        line += quoted("batch_req_" + requestID(customID))
        line += Data(",\"custom_id\":".utf8) + quoted(customID)
        line += Data(",\"response\":{\"status_code\":\(reply.statusCode),\"request_id\":".utf8)
        line += reply.headers["x-request-id"].map(quoted) ?? Data("null".utf8)
        line += Data(",\"body\":".utf8)
        // Why splice the raw body: re-encoding would round floats (embeddings); a raw newline outside a
        // JSON string is whitespace, so replacing it keeps the line one line.
        if (try? JSONSerialization.jsonObject(with: reply.body, options: [.fragmentsAllowed])) != nil {
            line += Data(reply.body.map { $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 })
        } else {
            line += quoted(String(decoding: reply.body, as: UTF8.self))
        }
        line += Data("},\"error\":null}\n".utf8)
        return line
    }

    static func failure(customID: String, error: APIError) -> Data {
        var object: [String: Any] = ["id": "batch_req_" + requestID(customID), "custom_id": customID]
        let null: Any = NSNull()
        let detail: [String: Any] = ["message": error.message, "type": error.type.map { $0 as Any } ?? null,
                                     "code": error.code.map { $0 as Any } ?? null]
        if let status = error.statusCode {
            object["response"] = ["status_code": status, "request_id": error.requestID.map { $0 as Any } ?? null, "body": ["error": detail]]
            object["error"] = NSNull()
        } else {
            object["response"] = NSNull()
            object["error"] = ["code": error.code ?? "\(error.kind)", "message": error.message]
        }
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }

    /// The model and usage a 2xx body reports, if it does.
    static func usage(of body: Data) -> (model: String, usage: TokenUsage)? {
        struct Answer: Decodable { var model: String?; var usage: TokenUsage? }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: body), let usage = answer.usage else { return nil }
        return (answer.model ?? "unknown", usage)
    }

    static func quoted(_ s: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed])) ?? Data("\"\"".utf8)
    }

    /// A stable id per custom_id (hex of a 64-bit FNV-1a), so a re-run writes the same id.
    static func requestID(_ customID: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in customID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return String(hash, radix: 16)
    }
}
