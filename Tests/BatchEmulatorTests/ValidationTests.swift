import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Validation")
struct ValidationTests {
    @Test("create refuses bad parameters with 400 and error.param", arguments: [
        ("unknown file", #"{"input_file_id":"file-nope","endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id"),
        ("missing file", #"{"endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id"),
        ("bad endpoint", #"{"input_file_id":"$FILE","endpoint":"/v1/fine_tuning","completion_window":"24h"}"#, "endpoint"),
        ("missing endpoint", #"{"input_file_id":"$FILE","completion_window":"24h"}"#, "endpoint"),
        ("window 48h", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"48h"}"#, "completion_window"),
        ("metadata not strings", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"a":1}}"#, "metadata.a"),
        ("metadata not an object", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":"x"}"#, "metadata"),
        ("wrong purpose", #"{"input_file_id":"$OTHER","endpoint":"/v1/chat/completions","completion_window":"24h"}"#, "input_file_id"),
        ("output_expires_after", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"created_at","seconds":5}}"#, "output_expires_after.seconds"),
        ("output_expires_after anchor", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"last_active_at","seconds":7200}}"#, "output_expires_after.anchor"),
        ("output_expires_after no anchor", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"seconds":7200}}"#, "output_expires_after.anchor"),
        ("output_expires_after seconds text", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":{"anchor":"created_at","seconds":"7200"}}"#, "output_expires_after.seconds"),
        ("output_expires_after not an object", #"{"input_file_id":"$FILE","endpoint":"/v1/chat/completions","completion_window":"24h","output_expires_after":"1h"}"#, "output_expires_after"),
    ])
    func createErrors(name: String, body: String, param: String) async throws {
        try await withEmulator { _, client async throws in
            let file = try await client.uploadLines(Lines.chat(2))
            let other = try #require(try await client.upload(Data("{}".utf8), purpose: "user_data", filename: "x.jsonl").json.string("id"))
            let text = body.replacingOccurrences(of: "$FILE", with: file).replacingOccurrences(of: "$OTHER", with: other)
            let response = try await client.send("POST", "/batches", body: Data(text.utf8), contentType: "application/json")
            #expect(response.status == 400, "\(name): \(response.text)")
            #expect(response.errorParam == param, "\(name)")
            let error = response.json.object("error")
            #expect(error.string("type") == "invalid_request_error")
            #expect(error["code"] != nil && error["message"] is String)
        }
    }

    @Test("metadata limits: 16 pairs, 64-char keys, 512-char values")
    func metadataLimits() async throws {
        try await withEmulator { _, client async throws in
            let file = try await client.uploadLines(Lines.chat(1))
            let cases: [[String: String]] = [
                Dictionary(uniqueKeysWithValues: (1...17).map { ("k\($0)", "v") }),
                [String(repeating: "k", count: 65): "v"],
                ["k": String(repeating: "v", count: 513)],
            ]
            for metadata in cases {
                let response = try await client.send("POST", "/batches", json: [
                    "input_file_id": file, "endpoint": "/v1/chat/completions", "completion_window": "24h", "metadata": metadata,
                ])
                #expect(response.status == 400)
                #expect(response.errorParam?.hasPrefix("metadata") == true)
            }
            let fits = Dictionary(uniqueKeysWithValues: (1...16).map { (String(repeating: "k", count: 62) + "\($0)".suffix(2), String(repeating: "v", count: 512)) })
            let ok = try await client.send("POST", "/batches", json: [
                "input_file_id": file, "endpoint": "/v1/chat/completions", "completion_window": "24h", "metadata": fits,
            ])
            #expect(ok.status == 200, "\(ok.text)")
        }
    }

    @Test("unparseable JSON bodies get a 400")
    func badJSON() async throws {
        try await withEmulator { _, client async throws in
            for body in [Data("{nope".utf8), Data([0xFF, 0xFE, 0xFD]), Data()] {
                let response = try await client.send("POST", "/batches", body: body, contentType: "application/json")
                #expect(response.status == 400)
                #expect(response.json.object("error").string("type") == "invalid_request_error")
            }
        }
    }

    @Test("validating fails bad lines with codes and line numbers")
    func lineErrors() async throws {
        try await withEmulator { harness, client async throws in
            let good = Lines.chat(8)
            var lines = good
            lines[1] = "{not json"                                                       // line 2
            lines[2] = good[2].replacingOccurrences(of: #""custom_id":"req-3","#, with: "")  // line 3
            lines[3] = good[3].replacingOccurrences(of: "req-4", with: "req-1")           // line 4
            lines[4] = good[4].replacingOccurrences(of: #""method":"POST""#, with: #""method":"GET""#) // line 5
            lines[5] = good[5].replacingOccurrences(of: #""url":"/v1/chat/completions""#, with: #""url":"/v1/embeddings""#) // line 6
            lines[6] = good[6].replacingOccurrences(of: "gpt-4o-mini", with: "gpt-4.1")   // line 7
            let id = try #require(try await client.submit(lines).string("id"))
            harness.advance(seconds: 600)
            let failed = try await client.batch(id)
            #expect(failed.string("status") == "failed")
            #expect(failed.int("failed_at") != nil && failed.isNull("in_progress_at"))
            let errors = failed.object("errors")
            #expect(errors.string("object") == "list")
            let found = ((errors["data"] as? [[String: Any]]) ?? []).map { ($0.string("code") ?? "", $0.int("line") ?? -1) }
            let expected = [("invalid_json_line", 2), ("missing_custom_id", 3), ("duplicate_custom_id", 4),
                            ("invalid_method", 5), ("invalid_url", 6), ("mismatched_model", 7)]
            #expect(found.map(\.0) == expected.map(\.0))
            #expect(found.map(\.1) == expected.map(\.1))
        }
    }

    @Test("too many lines, too many bytes, an empty file", arguments: ["lines", "bytes", "empty"])
    func fileLimits(limit: String) async throws {
        try await withEmulator(configure: { $0.maxRequestsPerBatch = 3; $0.maxBatchFileBytes = 2_000 }) { harness, client async throws in
            let lines: [String]
            switch limit {
            case "lines": lines = Lines.chat(4)
            case "bytes": lines = Lines.chat(3, words: 100)
            default: lines = [""]
            }
            let id = try #require(try await client.submit(lines).string("id"))
            harness.advance(seconds: 600)
            let batch = try await client.batch(id)
            #expect(batch.string("status") == "failed")
            let code = ((batch.object("errors")["data"] as? [[String: Any]])?.first)?.string("code")
            #expect(code == ["lines": "too_many_requests", "bytes": "file_too_large", "empty": "empty_file"][limit])
        }
    }

    @Test("enqueued tokens above the model's limit fail with token_limit_exceeded")
    func tokenLimit() async throws {
        try await withEmulator(configure: { $0.tokenLimits = ["gpt-4o-mini": 800] }) { harness, client async throws in
            let first = try #require(try await client.submit(Lines.chat(10, prefix: "a", words: 30)).string("id"))
            harness.advance(seconds: 200)
            #expect(try await client.batch(first).string("status") == "in_progress")
            let second = try #require(try await client.submit(Lines.chat(10, prefix: "b", words: 30)).string("id"))
            harness.advance(seconds: 200)
            let failed = try await client.batch(second)
            #expect(failed.string("status") == "failed")
            let error = try #require((failed.object("errors")["data"] as? [[String: Any]])?.first)
            #expect(error.string("code") == "token_limit_exceeded")
            #expect(error.string("message")?.contains("gpt-4o-mini") == true)
            let limits = try await client.send("GET", "/organization/projects/\(harness.projectID)/rate_limits", key: .admin).json
            let row = (limits["data"] as? [[String: Any]])?.first { $0.string("model") == "gpt-4o-mini" }
            #expect(row?.int("batch_1_day_max_input_tokens") == 800)
        }
    }
}
