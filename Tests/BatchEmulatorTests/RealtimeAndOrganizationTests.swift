import BatchEmulator
import Foundation
import Testing
import TestSupport

@Suite("Real-time lane and organisation endpoints")
struct RealtimeAndOrganizationTests {
    @Test("chat/completions, responses and embeddings answer with their usage shapes and rate-limit headers")
    func realtime() async throws {
        try await withEmulator { _, client async throws in
            let chat = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "hello there"]], "max_tokens": 50,
            ])
            #expect(chat.status == 200)
            #expect(chat.json.string("object") == "chat.completion")
            #expect(chat.json.string("model") == "gpt-4o-mini-2024-07-18")
            let chatUsage = chat.json.object("usage")
            #expect(chatUsage.int("total_tokens") == chatUsage.n("prompt_tokens") + chatUsage.n("completion_tokens"))
            #expect(chatUsage.n("completion_tokens") <= 50)
            for header in ["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                           "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"] {
                #expect(chat.header(header) != nil, "\(header)")
            }
            let again = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "hello there"]], "max_tokens": 50,
            ])
            let firstText = (chat.json["choices"] as? [[String: Any]])?.first?.object("message").string("content")
            let againText = (again.json["choices"] as? [[String: Any]])?.first?.object("message").string("content")
            #expect(firstText != nil && firstText == againText, "same request, same answer")
            #expect(again.json.object("usage").int("completion_tokens") == chatUsage.int("completion_tokens"))

            let response = try await client.send("POST", "/responses", json: ["model": "gpt-5-mini", "input": "hi"])
            #expect(response.json.string("object") == "response")
            let usage = response.json.object("usage")
            #expect(usage.int("total_tokens") == usage.n("input_tokens") + usage.n("output_tokens"))
            #expect(usage.object("output_tokens_details").int("reasoning_tokens") != nil)
            #expect(usage.object("input_tokens_details").int("cached_tokens") != nil)

            let floats = try await client.send("POST", "/embeddings", json: [
                "model": "text-embedding-3-small", "input": ["a", "b", "c"], "dimensions": 5, "encoding_format": "float",
            ]).json
            let data = (floats["data"] as? [[String: Any]]) ?? []
            #expect(data.count == 3)
            #expect((data.first?["embedding"] as? [Any])?.count == 5)
            #expect(floats.object("usage").int("total_tokens") == floats.object("usage").int("prompt_tokens"))
            let base64 = try await client.send("POST", "/embeddings", json: [
                "model": "text-embedding-3-small", "input": "a", "dimensions": 6, "encoding_format": "base64",
            ]).json
            let encoded = ((base64["data"] as? [[String: Any]])?.first?["embedding"] as? String) ?? ""
            #expect(Data(base64Encoded: encoded)?.count == 6 * 4)

            let missing = try await client.send("POST", "/chat/completions", json: ["model": "gpt-4o-mini"])
            #expect(missing.status == 400 && missing.errorParam == "messages")
            let noModel = try await client.send("POST", "/embeddings", json: ["input": "x"])
            #expect(noModel.status == 400 && noModel.errorParam == "model")
        }
    }

    @Test("usage and costs come from both lanes; costs follow the price table to the micro-dollar")
    func usageAndCosts() async throws {
        try await withEmulator(configure: { $0.requestFailureRate = 0 }) { harness, client async throws in
            let start = harness.server.now()
            let chat = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "count my tokens please"]],
            ]).json.object("usage")
            let id = try #require(try await client.submit(Lines.chat(20)).string("id"))
            harness.advance(seconds: 90_000)
            let batch = try await client.batch(id)
            #expect(batch.string("status") == "completed")
            let batchUsage = batch.object("usage")

            for form in ["group_by[]=batch", "group_by=batch"] {
                let page = try await client.send("GET", "/organization/usage/completions?start_time=\(start)&bucket_width=1d&\(form)",
                                                 key: .admin).json
                #expect(page.string("object") == "page")
                let results = ((page["data"] as? [[String: Any]]) ?? []).flatMap { ($0["results"] as? [[String: Any]]) ?? [] }
                let batchRows = results.filter { $0["batch"] as? Bool == true }
                let realtimeRows = results.filter { $0["batch"] as? Bool == false }
                #expect(batchRows.reduce(0) { $0 + $1.n("input_tokens") } == batchUsage.int("input_tokens"))
                #expect(batchRows.reduce(0) { $0 + $1.n("output_tokens") } == batchUsage.int("output_tokens"))
                #expect(batchRows.reduce(0) { $0 + $1.n("num_model_requests") } == 20)
                #expect(realtimeRows.reduce(0) { $0 + $1.n("input_tokens") } == chat.int("prompt_tokens"))
                #expect(results.allSatisfy { $0.string("object") == "organization.usage.completions.result" && $0["model"] is NSNull })
            }

            let costs = try await client.send("GET", "/organization/costs?start_time=\(start)&group_by[]=line_item", key: .admin).json
            let items = ((costs["data"] as? [[String: Any]]) ?? []).flatMap { ($0["results"] as? [[String: Any]]) ?? [] }
            func amount(_ item: String) -> Decimal {
                items.filter { $0.string("line_item") == item }
                    .reduce(Decimal(0)) { $0 + (Decimal(string: "\(($1.object("amount")["value"] as? NSNumber) ?? 0)") ?? -1) }
            }
            // Rates (micro-dollars per 1M tokens): gpt-4o-mini input 150,000 / output 600,000; batch 75,000 / 300,000.
            func expected(_ tokens: Int, _ rate: Int) -> Decimal { Decimal((tokens * rate + 500_000) / 1_000_000) / 1_000_000 }
            #expect(amount("gpt-4o-mini-2024-07-18, input (batch)") == expected(batchUsage.n("input_tokens"), 75_000))
            #expect(amount("gpt-4o-mini-2024-07-18, output (batch)") == expected(batchUsage.n("output_tokens"), 300_000))
            #expect(amount("gpt-4o-mini-2024-07-18, output") == expected(chat.n("completion_tokens"), 600_000))
            #expect(items.allSatisfy { $0.object("amount").string("currency") == "usd" })
        }
    }

    @Test("usage buckets page with next_page; bad queries are 400 with a param")
    func usageQueries() async throws {
        try await withEmulator { harness, client async throws in
            let start = harness.server.now() - 10 * 86_400
            var page = try await client.send("GET", "/organization/usage/completions?start_time=\(start)&limit=4", key: .admin).json
            var buckets = (page["data"] as? [[String: Any]])?.count ?? 0
            var guardCount = 0
            while page["has_more"] as? Bool == true, let next = page.string("next_page"), guardCount < 10 {
                page = try await client.send("GET", "/organization/usage/completions?start_time=\(start)&limit=4&page=\(next)", key: .admin).json
                buckets += (page["data"] as? [[String: Any]])?.count ?? 0
                guardCount += 1
            }
            #expect(buckets == 11, "ten days back to now in daily buckets")
            #expect(page.isNull("next_page"))
            let hourly = try await client.send("GET", "/organization/usage/completions?start_time=\(harness.server.now() - 7_200)&bucket_width=1h", key: .admin).json
            #expect((hourly["data"] as? [[String: Any]])?.first?.int("end_time") == (hourly["data"] as? [[String: Any]])?.first.map { $0.n("start_time") + 3_600 })
            let embeddings = try await client.send("GET", "/organization/usage/embeddings?start_time=\(start)", key: .admin)
            #expect(embeddings.status == 200)
            for (query, param) in [("", "start_time"), ("start_time=x", "start_time"), ("start_time=0&bucket_width=2d", "bucket_width"),
                                   ("start_time=0&group_by[]=colour", "group_by"), ("start_time=0&limit=0", "limit"),
                                   ("start_time=0&page=garbage", "page")] {
                let response = try await client.send("GET", "/organization/usage/completions?\(query)", key: .admin)
                #expect(response.status == 400 && response.errorParam == param, "\(query)")
            }
            let costs = try await client.send("GET", "/organization/costs?start_time=0&bucket_width=1h", key: .admin)
            #expect(costs.status == 400 && costs.errorParam == "bucket_width")
            #expect(try await client.send("GET", "/organization/projects/proj_other/rate_limits", key: .admin).status == 404)
        }
    }
}
