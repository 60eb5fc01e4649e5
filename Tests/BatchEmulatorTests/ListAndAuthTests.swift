import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Listing, auth and routing")
struct ListAndAuthTests {
    @Test("list pages newest first with after, first_id, last_id, has_more")
    func pagination() async throws {
        try await withEmulator { harness, client async throws in
            let file = try await client.uploadLines(Lines.chat(1))
            var created: [String] = []
            for index in 0..<45 {
                let response = try await client.send("POST", "/batches", json: [
                    "input_file_id": file, "endpoint": "/v1/chat/completions", "completion_window": "24h",
                    "metadata": ["n": "\(index)"],
                ])
                created.append(try #require(response.json.string("id")))
                if index % 10 == 0 { harness.advance(seconds: 1) }
            }
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let page = try await client.send("GET", "/batches?limit=20" + (after.map { "&after=\($0)" } ?? "")).json
                let data = (page["data"] as? [[String: Any]]) ?? []
                #expect(page.string("object") == "list")
                #expect(page.string("first_id") == data.first?.string("id"))
                #expect(page.string("last_id") == data.last?.string("id"))
                seen += data.compactMap { $0.string("id") }
                after = page["has_more"] as? Bool == true ? page.string("last_id") : nil
                pages += 1
            } while after != nil && pages < 10
            #expect(pages == 3)
            #expect(seen == created.reversed(), "newest first, every batch once")
            let defaultPage = try await client.send("GET", "/batches").json
            #expect((defaultPage["data"] as? [Any])?.count == 20)
            for bad in ["0", "101", "x"] {
                let response = try await client.send("GET", "/batches?limit=\(bad)")
                #expect(response.status == 400)
                #expect(response.errorParam == "limit")
            }
            let empty = try await client.send("GET", "/batches?after=batch_unknown").json
            #expect((empty["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("keys: missing, wrong, and the wrong kind are 401 with the standard error body", arguments: [
        ("GET", "/batches", "none", nil as String?),
        ("GET", "/batches", "wrong", "invalid_api_key"),
        ("GET", "/batches", "admin", "insufficient_permissions"),
        ("POST", "/chat/completions", "admin", "insufficient_permissions"),
        ("GET", "/organization/costs?start_time=0", "project", "insufficient_permissions"),
        ("GET", "/organization/usage/completions?start_time=0", "none", nil),
    ])
    func auth(method: String, path: String, key: String, code: String?) async throws {
        try await withEmulator { _, client async throws in
            let which: HTTPTestClient.Key = key == "none" ? .none : key == "wrong" ? .custom("sk-nope-123456789") :
                key == "admin" ? .admin : .project
            let response = try await client.send(method, path, key: which, json: method == "POST" ? ["model": "gpt-4o-mini"] : nil)
            #expect(response.status == 401)
            let error = response.json.object("error")
            #expect(error.string("type") == "invalid_request_error")
            #expect(error["message"] is String && error["param"] is NSNull)
            #expect(response.errorCode == code)
            #expect(response.header("x-request-id") != nil)
        }
    }

    @Test("unknown paths are 404 and wrong methods 405, with error bodies and request ids")
    func routing() async throws {
        try await withEmulator(configure: { $0.controlEnabled = false }) { _, client async throws in
            let missing = try await client.send("GET", "/nothing/here")
            #expect(missing.status == 404)
            #expect(missing.json.object("error").string("message")?.contains("/v1/nothing/here") == true)
            let wrong = try await client.send("DELETE", "/batches")
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") == "GET, POST")
            #expect(wrong.json["error"] != nil)
            #expect(try await client.send("PUT", "/files/file-x/content").status == 405)
            #expect(try await client.send("GET", "/batches/batch_nope").status == 404)
            let control = try await client.send("GET", "/_emulator/counters", root: true)
            #expect(control.status == 404, "the control API is off unless enabled")
            var ids = Set<String>()
            for response in [missing, wrong, control] { ids.insert(response.header("x-request-id") ?? "") }
            #expect(ids.count == 3 && !ids.contains(""))
        }
    }
}
