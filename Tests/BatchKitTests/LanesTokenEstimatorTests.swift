import Foundation
import Testing
@testable import BatchKit

@Suite struct LanesTokenEstimatorTests {
    /// Request bodies whose prompt tokens the provider counted (the OpenAI cookbook's "How to count tokens
    /// with tiktoken", section 6 and 7: `usage.prompt_tokens` returned by the API for these messages).
    static let counted: [(name: String, body: String, promptTokens: Int)] = {
        let jargon = #"[{"role":"system","content":"You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},{"role":"system","name":"example_user","content":"New synergies will help drive top-line growth."},{"role":"system","name":"example_assistant","content":"Things working well together will increase revenue."},{"role":"system","name":"example_user","content":"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},{"role":"system","name":"example_assistant","content":"Let's talk later when we're less busy about how to do better."},{"role":"user","content":"This late pivot means we don't have time to boil the ocean for the client deliverable."}]"#
        let weather = #"[{"role":"system","content":"You are a helpful assistant that can answer to questions about the weather."},{"role":"user","content":"What's the weather like in San Francisco?"}]"#
        let tools = #"[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location","parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},"unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},"required":["location"]}}}]"#
        return [
            ("jargon, gpt-4", #"{"model":"gpt-4","messages":\#(jargon),"temperature":0,"max_tokens":1}"#, 129),
            ("jargon, gpt-4o", #"{"model":"gpt-4o","messages":\#(jargon),"temperature":0,"max_tokens":1}"#, 124),
            ("tools, gpt-4", #"{"model":"gpt-4","messages":\#(weather),"tools":\#(tools),"temperature":0}"#, 105),
            ("tools, gpt-4o", #"{"model":"gpt-4o","messages":\#(weather),"tools":\#(tools),"temperature":0}"#, 101),
        ]
    }()

    @Test(arguments: 0..<counted.count)
    func errsHighAgainstProviderCounts(_ k: Int) {
        let sample = Self.counted[k]
        let estimate = TokenEstimator().estimate(bodyBytes: sample.body.utf8.count)
        #expect(estimate >= sample.promptTokens, "\(sample.name): \(estimate) < \(sample.promptTokens)")
        // High, but not so high that admission control becomes useless.
        #expect(estimate <= 3 * sample.promptTokens, "\(sample.name): \(estimate)")
    }

    @Test func errsHighAgainstTheFourCharactersPerTokenRuleForProse() {
        let prose = String(repeating: "The batch lane costs about half as much, so work that can wait goes there. ", count: 40)
        let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"\#(prose)"}]}"#
        let ruleOfThumb = (prose.count + 3) / 4
        let estimate = TokenEstimator().estimate(bodyBytes: body.utf8.count)
        #expect(estimate * 100 >= ruleOfThumb * 130)   // at least 30% above the rule of thumb
    }

    @Test(arguments: [(0, 0), (1, 5), (3, 5), (4, 6), (13, 9), (3_000, 1_004)])
    func roundsUpAndAddsOverhead(bytes: Int, tokens: Int) {
        #expect(TokenEstimator().estimate(bodyBytes: bytes) == tokens)
        #expect(TokenEstimator().count(bodyBytes: bytes) == TokenCount(value: Int64(tokens), exact: false))
    }

    @Test func validatorEstimatesFromTheBodyOnly() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let body = #"{"model":"m","input":"é"}"#
        let line = #"{"custom_id":"a-very-long-custom-id-that-is-not-billed","method":"POST","url":"/v1/embeddings","body":\#(body)}"#
        let summary = try InputFileValidator().validate(path: fixture.file(lines: [line]))
        #expect(Int(summary.index.tokens[0]) == TokenEstimator().estimate(bodyBytes: body.utf8.count))
        #expect(!summary.estimatedInputTokens.exact)
        #expect(summary.estimatedInputTokens.description.hasSuffix("tokens (estimated)"))
    }

    @Test func sumsAreExactOnlyWhenEveryPartIs() {
        let exact = TokenCount(value: 5, exact: true), estimated = TokenCount(value: 7, exact: false)
        #expect((exact + exact).exact && !(exact + estimated).exact)
        #expect((exact + estimated).value == 12)
        #expect(TokenCount(value: 1_234_567, exact: true).description == "1,234,567 tokens")
    }
}
