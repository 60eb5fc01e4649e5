import BatchEmulator
import Foundation
import Testing
import TestSupport

/// `max_tokens` and friends cut the answer (`finish_reason: "length"`, `status: "incomplete"`), and usage is
/// derived from the text returned: about four UTF-8 bytes per token, for prompt and completion alike.
@Suite("Token budgets and usage")
struct TokenBudgetTests {
    static func tokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    static func chatText(_ json: [String: Any]) -> String {
        (json["choices"] as? [[String: Any]])?.first?.object("message").string("content") ?? ""
    }

    static func finishReason(_ json: [String: Any]) -> String? {
        (json["choices"] as? [[String: Any]])?.first?.string("finish_reason")
    }

    static func responsesText(_ json: [String: Any]) -> String {
        let output = (json["output"] as? [[String: Any]]) ?? []
        let message = output.first { $0.string("type") == "message" } ?? [:]
        return (message["content"] as? [[String: Any]])?.first?.string("text") ?? ""
    }

    @Test("chat max_tokens=5: finish_reason length, 5 completion tokens, the full answer cut", arguments: [
        "max_tokens", "max_completion_tokens",
    ])
    func chatLength(parameter: String) async throws {
        try await withEmulator { _, client async throws in
            let messages = [["role": "user", "content": "summarise the quarterly report in detail"]]
            let full = try await client.send("POST", "/chat/completions", json: ["model": "gpt-4o-mini", "messages": messages]).json
            let cut = try await client.send("POST", "/chat/completions",
                                            json: ["model": "gpt-4o-mini", "messages": messages, parameter: 5]).json
            let fullText = Self.chatText(full)
            let cutText = Self.chatText(cut)
            #expect(Self.finishReason(full) == "stop")
            #expect(Self.tokens(fullText) > 5, "the full answer is longer than the budget")
            #expect(Self.finishReason(cut) == "length")
            #expect(cut.object("usage").int("completion_tokens") == 5)
            #expect(!cutText.isEmpty && cutText.utf8.count <= 20 && fullText.hasPrefix(cutText), "\(cutText) / \(fullText)")
            #expect(cut.object("usage").int("total_tokens") == cut.object("usage").n("prompt_tokens") + 5)
        }
    }

    @Test("responses max_output_tokens: status incomplete with reason max_output_tokens; below 16 is refused")
    func responsesIncomplete() async throws {
        try await withEmulator { _, client async throws in
            let body: [String: Any] = ["model": "gpt-4.1-mini", "input": "write a long essay about invoices", "max_output_tokens": 16]
            let response = try await client.send("POST", "/responses", json: body).json
            #expect(response.string("status") == "incomplete")
            #expect(response.object("incomplete_details").string("reason") == "max_output_tokens")
            #expect(response.int("max_output_tokens") == 16)
            #expect(response.object("usage").int("output_tokens") == 16)
            let text = Self.responsesText(response)
            #expect(!text.isEmpty && Self.tokens(text) <= 16)
            let output = (response["output"] as? [[String: Any]]) ?? []
            #expect(output.first { $0.string("type") == "message" }?.string("status") == "incomplete")

            let tooSmall = try await client.send("POST", "/responses", json: ["model": "gpt-4.1-mini", "input": "x", "max_output_tokens": 5])
            #expect(tooSmall.status == 400 && tooSmall.errorParam == "max_output_tokens", "\(tooSmall.text)")
            let wrongType = try await client.send("POST", "/chat/completions", json: [
                "model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]], "max_tokens": "ten",
            ])
            #expect(wrongType.status == 400 && wrongType.errorParam == "max_tokens", "\(wrongType.text)")
        }
    }

    @Test("usage follows the text: completion from the answer, prompt from the messages, total the sum")
    func usageFollowsText() async throws {
        try await withEmulator { _, client async throws in
            var lengths: [Int] = []
            for index in 0..<20 {
                let prompt = "question number \(index) about the refund policy"
                let chat = try await client.send("POST", "/chat/completions", json: [
                    "model": "gpt-4o-mini", "messages": [["role": "user", "content": prompt]],
                ]).json
                let usage = chat.object("usage")
                let text = Self.chatText(chat)
                #expect(usage.int("completion_tokens") == Self.tokens(text), "\(text)")
                #expect(usage.int("prompt_tokens") == Self.tokens(prompt) + 3, "one string: its tokens plus 3 of framing")
                #expect(usage.int("total_tokens") == usage.n("prompt_tokens") + usage.n("completion_tokens"))
                #expect(usage.object("completion_tokens_details").int("reasoning_tokens") == 0)
                lengths.append(usage.n("completion_tokens"))
            }
            #expect(Set(lengths).count >= 10, "answer lengths vary per request: \(lengths)")
            #expect(lengths.reduce(0, +) / lengths.count >= 60, "answers long enough for realistic costs: \(lengths)")

            // A reasoning model: visible text plus hidden reasoning tokens.
            let response = try await client.send("POST", "/responses", json: ["model": "gpt-5-mini", "input": "classify this"]).json
            let usage = response.object("usage")
            let reasoning = usage.object("output_tokens_details").n("reasoning_tokens")
            #expect(reasoning > 0)
            #expect(usage.int("output_tokens") == Self.tokens(Self.responsesText(response)) + reasoning)
            #expect(usage.int("input_tokens") == Self.tokens("classify this") + 3)
        }
    }

    @Test("batch lines: usage follows each line's text, max_tokens cuts it, Batch.usage is their sum")
    func batchUsage() async throws {
        try await withEmulator(configure: { $0.requestFailureRate = 0 }) { harness, client async throws in
            var lines = Lines.chat(10)
            lines.append(#"{"custom_id":"short","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","max_tokens":3,"messages":[{"role":"user","content":"tell me everything"}]}}"#)
            let id = try #require(try await client.submit(lines).string("id"))
            harness.advance(seconds: 90_000)
            let batch = try await client.batch(id)
            let output = try await client.content(try #require(batch.string("output_file_id")))
            #expect(output.count == 11)
            var completion = 0
            var prompt = 0
            for line in output {
                let body = line.object("response").object("body")
                let usage = body.object("usage")
                let text = Self.chatText(body)
                completion += usage.n("completion_tokens")
                prompt += usage.n("prompt_tokens")
                if line.string("custom_id") == "short" {
                    #expect(Self.finishReason(body) == "length")
                    #expect(usage.int("completion_tokens") == 3 && text.utf8.count <= 12)
                } else {
                    #expect(Self.finishReason(body) == "stop")
                    #expect(usage.int("completion_tokens") == Self.tokens(text))
                }
            }
            #expect(batch.object("usage").int("output_tokens") == completion)
            #expect(batch.object("usage").int("input_tokens") == prompt)
        }
    }
}
