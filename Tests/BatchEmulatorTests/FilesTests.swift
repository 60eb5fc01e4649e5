import BatchEmulator
import Foundation
import Testing

@Suite("Files")
struct FilesTests {
    @Test("upload, retrieve, list, content, delete")
    func lifecycle() async throws {
        try await withEmulator { _, client async throws in
            let content = Data(Lines.chat(3).joined(separator: "\n").utf8)
            let uploaded = try await client.upload(content, extra: [("expires_after[anchor]", "created_at"),
                                                                   ("expires_after[seconds]", "7200")])
            #expect(uploaded.status == 200)
            let file = uploaded.json
            let id = try #require(file.string("id"))
            #expect(file.string("object") == "file")
            #expect(file.int("bytes") == content.count)
            #expect(file.string("purpose") == "batch")
            #expect(file.string("filename") == "input.jsonl")
            #expect(file.string("status") == "processed")
            #expect(file.int("expires_at") == file.n("created_at") + 7200)

            let other = try await client.upload(Data("{}".utf8), purpose: "user_data", filename: "notes.json")
            #expect(other.status == 200)

            #expect(try await client.send("GET", "/files/\(id)").json.int("bytes") == content.count)
            let all = try await client.send("GET", "/files").json
            #expect((all["data"] as? [[String: Any]])?.count == 2)
            #expect(all.string("first_id") == other.json.string("id"), "newest first by default")
            let batchOnly = try await client.send("GET", "/files?purpose=batch").json
            #expect((batchOnly["data"] as? [[String: Any]])?.map { $0.string("id") } == [id])
            let ascending = try await client.send("GET", "/files?order=asc&limit=1").json
            #expect(ascending.string("first_id") == id)
            #expect(ascending["has_more"] as? Bool == true)
            let after = try await client.send("GET", "/files?order=asc&after=\(id)").json
            #expect(after.string("first_id") == other.json.string("id"))

            let downloaded = try await client.send("GET", "/files/\(id)/content")
            #expect(downloaded.status == 200)
            #expect(downloaded.body == content)

            let deleted = try await client.send("DELETE", "/files/\(id)").json
            #expect(deleted.string("id") == id)
            #expect(deleted["deleted"] as? Bool == true)
            #expect(try await client.send("GET", "/files/\(id)").status == 404)
            #expect(try await client.send("GET", "/files/\(id)/content").status == 404)
            #expect(try await client.send("DELETE", "/files/\(id)").status == 404)
        }
    }

    @Test("upload validation", arguments: [
        (fields: [("purpose", "fine-tuning")], file: true, name: "a.jsonl", param: "purpose"),
        (fields: [], file: true, name: "a.jsonl", param: "purpose"),
        (fields: [("purpose", "batch")], file: false, name: "a.jsonl", param: "file"),
        (fields: [("purpose", "batch")], file: true, name: "a.csv", param: "file"),
        (fields: [("purpose", "batch"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "60")],
         file: true, name: "a.jsonl", param: "expires_after.seconds"),
        (fields: [("purpose", "batch"), ("expires_after[anchor]", "last_used")], file: true, name: "a.jsonl",
         param: "expires_after.anchor"),
        // The dotted names some SDKs (openai-go) send, and the whole policy as one JSON field.
        (fields: [("purpose", "batch"), ("expires_after.anchor", "last_active_at"), ("expires_after.seconds", "7200")],
         file: true, name: "a.jsonl", param: "expires_after.anchor"),
        (fields: [("purpose", "batch"), ("expires_after.anchor", "created_at"), ("expires_after.seconds", "99999999")],
         file: true, name: "a.jsonl", param: "expires_after.seconds"),
        (fields: [("purpose", "batch"), ("expires_after", #"{"anchor":"last_active_at","seconds":7200}"#)],
         file: true, name: "a.jsonl", param: "expires_after.anchor"),
        (fields: [("purpose", "batch"), ("expires_after", "soon")], file: true, name: "a.jsonl", param: "expires_after"),
        (fields: [("purpose", "batch"), ("expires_after[anchor]", "created_at")], file: true, name: "a.jsonl",
         param: "expires_after.seconds"),
        (fields: [("purpose", "batch"), ("expires_after[anchor]", "created_at"), ("expires_after[seconds]", "1.5h")],
         file: true, name: "a.jsonl", param: "expires_after.seconds"),
    ] as [(fields: [(String, String)], file: Bool, name: String, param: String)])
    func uploadValidation(fields: [(String, String)], file: Bool, name: String, param: String) async throws {
        try await withEmulator { _, client async throws in
            let (body, type) = HTTPTestClient.multipart(fields: fields, file: file ? Data("{}\n".utf8) : nil, filename: name)
            let response = try await client.send("POST", "/files", body: body, contentType: type)
            #expect(response.status == 400)
            #expect(response.errorParam == param)
            #expect(response.header("x-request-id")?.hasPrefix("req_") == true)
        }
    }

    @Test("malformed multipart bodies get a 400 and the server keeps serving")
    func malformedMultipart() async throws {
        try await withEmulator { _, client async throws in
            let (full, type) = HTTPTestClient.multipart(fields: [("purpose", "batch")], file: Data("{}\n".utf8))
            let truncated = full.prefix(full.count - 10)
            let cases: [(Data, String)] = [
                (Data(truncated), type),
                (Data("no boundary at all".utf8), type),
                (Data("--emu-test-boundary-7d9f\r\nX-Nothing: here\r\n\r\nvalue\r\n--emu-test-boundary-7d9f--\r\n".utf8), type),
                (full, "application/json"),
                (full, "multipart/form-data"),
                (Data([0xFF, 0xFE, 0x00, 0x80]), type),
            ]
            for (body, contentType) in cases {
                let response = try await client.send("POST", "/files", body: body, contentType: contentType)
                #expect(response.status == 400, "\(contentType): \(response.text)")
                #expect(response.json["error"] != nil)
            }
            #expect(try await client.send("GET", "/files").status == 200)
        }
    }

    @Test("an upload split across many chunks streams to disk intact")
    func largeUpload() async throws {
        try await withEmulator { _, client async throws in
            let lines = Lines.chat(4_000, words: 40)
            let content = Data((lines.joined(separator: "\n") + "\n").utf8)
            #expect(content.count > 1024 * 1024, "bigger than the server's 1 MB in-memory replay buffer, so it streams")
            let uploaded = try await client.upload(content)
            let id = try #require(uploaded.json.string("id"))
            #expect(uploaded.json.int("bytes") == content.count)
            #expect(try await client.send("GET", "/files/\(id)/content").body == content)
        }
    }
}
