import Foundation
import Testing
@testable import BatchKit

/// One shipped row as the reference table lists it, in micro-dollars per 1M tokens.
struct ShippedRow: Sendable, CustomStringConvertible {
    var model: String
    var input: Int64, cached: Int64, output: Int64
    var batchInput: Int64, batchCached: Int64?, batchOutput: Int64
    var description: String { model }
}

@Suite struct PriceTableTests {
    // The reference price table (2026-11), transcribed by hand in micro-dollars per 1M tokens.
    static let shipped: [ShippedRow] = [
        .init(model: "gpt-5", input: 1_250_000, cached: 125_000, output: 10_000_000, batchInput: 625_000, batchCached: 62_500, batchOutput: 5_000_000),
        .init(model: "gpt-5.1", input: 1_250_000, cached: 125_000, output: 10_000_000, batchInput: 625_000, batchCached: 62_500, batchOutput: 5_000_000),
        .init(model: "gpt-5.2", input: 1_750_000, cached: 175_000, output: 14_000_000, batchInput: 875_000, batchCached: 87_500, batchOutput: 7_000_000),
        .init(model: "gpt-5-mini", input: 250_000, cached: 25_000, output: 2_000_000, batchInput: 125_000, batchCached: 12_500, batchOutput: 1_000_000),
        .init(model: "gpt-5-nano", input: 50_000, cached: 5_000, output: 400_000, batchInput: 25_000, batchCached: 2_500, batchOutput: 200_000),
        .init(model: "gpt-4.1", input: 2_000_000, cached: 500_000, output: 8_000_000, batchInput: 1_000_000, batchCached: nil, batchOutput: 4_000_000),
        .init(model: "gpt-4.1-mini", input: 400_000, cached: 100_000, output: 1_600_000, batchInput: 200_000, batchCached: nil, batchOutput: 800_000),
        .init(model: "gpt-4.1-nano", input: 100_000, cached: 25_000, output: 400_000, batchInput: 50_000, batchCached: nil, batchOutput: 200_000),
        .init(model: "gpt-4o", input: 2_500_000, cached: 1_250_000, output: 10_000_000, batchInput: 1_250_000, batchCached: nil, batchOutput: 5_000_000),
        .init(model: "gpt-4o-mini", input: 150_000, cached: 75_000, output: 600_000, batchInput: 75_000, batchCached: nil, batchOutput: 300_000),
        .init(model: "o3", input: 2_000_000, cached: 500_000, output: 8_000_000, batchInput: 1_000_000, batchCached: nil, batchOutput: 4_000_000),
        .init(model: "o3-mini", input: 1_100_000, cached: 550_000, output: 4_400_000, batchInput: 550_000, batchCached: nil, batchOutput: 2_200_000),
        .init(model: "o4-mini", input: 1_100_000, cached: 275_000, output: 4_400_000, batchInput: 550_000, batchCached: nil, batchOutput: 2_200_000),
        .init(model: "o1", input: 15_000_000, cached: 7_500_000, output: 60_000_000, batchInput: 7_500_000, batchCached: nil, batchOutput: 30_000_000),
        // No cached rate published: cached tokens (never reported by embeddings) pay the input rate.
        .init(model: "text-embedding-3-small", input: 20_000, cached: 20_000, output: 0, batchInput: 10_000, batchCached: nil, batchOutput: 0),
        .init(model: "text-embedding-3-large", input: 130_000, cached: 130_000, output: 0, batchInput: 65_000, batchCached: nil, batchOutput: 0),
        .init(model: "omni-moderation-latest", input: 0, cached: 0, output: 0, batchInput: 0, batchCached: nil, batchOutput: 0),
    ]

    static let million: Int64 = 1_000_000

    @Test func shippedTableHasExactlyTheReferenceModels() throws {
        let table = try PriceTable.shippedDefault()
        #expect(Set(table.models.keys) == Set(Self.shipped.map(\.model)))
        #expect(table.taken == "2026-11")
        #expect(table.batchCachedInputRule == .batchInput)
        #expect(table.sources == [.shippedDefault(taken: "2026-11")])
    }

    @Test(arguments: shipped)
    func everyShippedModelIsPricedInBothLanes(row: ShippedRow) throws {
        let table = try PriceTable.shippedDefault()
        let m = Self.million
        // One million tokens of each class costs exactly the listed rate.
        let uncached = TokenUsage(inputTokens: m)
        let cached = TokenUsage(inputTokens: m, cachedInputTokens: m)
        let output = TokenUsage(outputTokens: m, reasoningTokens: m / 2)
        func cost(_ u: TokenUsage, _ lane: Lane) -> CostBreakdown? { table.price(u, model: row.model, lane: lane).cost }

        #expect(cost(uncached, .realtime) == CostBreakdown(uncachedInput: MicroDollars(row.input)))
        #expect(cost(cached, .realtime) == CostBreakdown(cachedInput: MicroDollars(row.cached)))
        #expect(cost(output, .realtime) == CostBreakdown(output: MicroDollars(row.output)))
        #expect(cost(uncached, .batch) == CostBreakdown(uncachedInput: MicroDollars(row.batchInput)))
        // The documented rule: an unpublished batch cached rate charges the batch input rate.
        #expect(cost(cached, .batch) == CostBreakdown(cachedInput: MicroDollars(row.batchCached ?? row.batchInput)))
        #expect(cost(output, .batch) == CostBreakdown(output: MicroDollars(row.batchOutput)))
        #expect(table.resolve(row.model)?.price.origin == .shippedDefault(taken: "2026-11"))
    }

    @Test(arguments: shipped.filter { $0.batchCached == nil && $0.cached != $0.input })
    func standardCachedRuleChargesTheRealtimeCachedRateInsideABatch(row: ShippedRow) throws {
        let table = try PriceTable.shippedDefault().overriding(withTOML: #"batch_cached_input_rule = "standard_cached""#, path: "rule.toml")
        let cached = TokenUsage(inputTokens: Self.million, cachedInputTokens: Self.million)
        #expect(table.price(cached, model: row.model, lane: .batch).cost == CostBreakdown(cachedInput: MicroDollars(row.cached)))
        // Published batch cached rates are untouched by the rule.
        #expect(table.price(cached, model: "gpt-5", lane: .batch).cost == CostBreakdown(cachedInput: MicroDollars(62_500)))
    }

    @Test(arguments: [
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-5-2025-08-07", "gpt-5"),
        ("gpt-4.1-nano-2025-04-14", "gpt-4.1-nano"),
        ("o4-mini-2025-04-16", "o4-mini"),
        ("gpt-4o-mini", "gpt-4o-mini"),
    ])
    func datedNamesResolveToTheirOwnBaseModel(name: String, base: String) throws {
        let table = try PriceTable.shippedDefault()
        #expect(table.resolve(name)?.name == base)
        let usage = TokenUsage(inputTokens: 1_000_000)
        guard case .priced(let model, let resolved, _, _, _, _) = table.price(usage, model: name, lane: .batch) else {
            Issue.record("\(name) unpriced"); return
        }
        #expect(model == name)
        #expect(resolved == base)
    }

    @Test(arguments: [
        "o1-preview-2024-09-12",      // must not become o1
        "gpt-4o-mini-2024-07-1",      // not a full date
        "gpt-4o-mini-20240718",       // another date format
        "ft:gpt-4o-mini-2024-07-18:acme::abc123", // fine-tuned models have their own prices
        "claude-3-haiku", "", "-2024-07-18",
    ])
    func unknownOrLookAlikeNamesAreUnpricedWithTheirTokens(name: String) throws {
        let table = try PriceTable.shippedDefault()
        let usage = TokenUsage(inputTokens: 1234, cachedInputTokens: 34, outputTokens: 56)
        for lane in Lane.allCases {
            let result = table.price(usage, model: name, lane: lane)
            #expect(result == .unpriced(model: name, lane: lane, usage: usage))
            #expect(result.cost == nil)
            #expect(!result.isPriced)
            #expect(result.usage == usage)
        }
    }

    @Test func anExactDatedRowWinsOverTheBaseModel() throws {
        let table = try PriceTable.shippedDefault().overriding(withTOML: """
            [models."gpt-4o-2024-05-13"]
            input = 5.00
            output = 15.00
            """, path: "u.toml")
        #expect(table.resolve("gpt-4o-2024-05-13")?.name == "gpt-4o-2024-05-13")
        #expect(table.rates(for: "gpt-4o-2024-05-13", lane: .realtime)?.input == TokenRate(microDollarsPerMillion: 5_000_000))
        // The exact row has no batch rates: unpriced in that lane rather than borrowing gpt-4o's.
        #expect(table.rates(for: "gpt-4o-2024-05-13", lane: .batch) == nil)
        #expect(table.resolve("gpt-4o-2024-08-06")?.name == "gpt-4o")
    }

    @Test func userFileOverridesFieldByFieldAndExtends() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prices-\(UUID().uuidString).toml")
        try """
            taken = "2026-12"
            [models."gpt-4o"]
            input = "2.25"          # strings are exact decimals too
            [models."acme-ft-1"]
            input = 3
            cached_input = 1.5
            output = 12
            note = "our fine-tune"
            """.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }

        let table = try PriceTable.loadingUserFile(at: url.path)
        #expect(table.taken == "2026-12")
        #expect(table.sources == [.shippedDefault(taken: "2026-11"), .userFile(path: url.path)])
        let gpt4o = try #require(table.rates(for: "gpt-4o", lane: .realtime))
        #expect(gpt4o.input == TokenRate(microDollarsPerMillion: 2_250_000))
        #expect(gpt4o.output == TokenRate(microDollarsPerMillion: 10_000_000), "fields the user did not set keep the shipped value")
        #expect(table.resolve("gpt-4o")?.price.origin == .userFile(path: url.path))
        #expect(table.resolve("gpt-4o-mini")?.price.origin == .shippedDefault(taken: "2026-11"))
        let ft = try #require(table.rates(for: "acme-ft-1", lane: .realtime))
        #expect(ft == LaneRates(input: TokenRate(microDollarsPerMillion: 3_000_000), cachedInput: TokenRate(microDollarsPerMillion: 1_500_000), output: TokenRate(microDollarsPerMillion: 12_000_000)))
        #expect(table.price(TokenUsage(inputTokens: 10), model: "acme-ft-1", lane: .batch).isPriced == false)
    }

    @Test(arguments: [
        ("[models.\"x\"]\ninput = 1\n", PriceTableError.Code.incompleteRow),
        ("[models.\"x\"]\nbatch_output = 1\n", .incompleteRow),
        ("[models.\"x\"]\ncached_input = 1\n", .incompleteRow),
        ("[models.\"x\"]\ninput = -1\noutput = 1\n", .invalidValue),
        ("[models.\"x\"]\ninput = 0.1234567\noutput = 1\n", .invalidValue),
        ("[models.\"x\"]\ninput = \"1,5\"\noutput = 1\n", .invalidValue),
        ("[models.\"x\"]\ninput = true\noutput = 1\n", .invalidValue),
        ("[models.\"x\"]\nouput = 1\n", .unknownKey),
        ("[models.gpt-4.1]\ninput = 1\noutput = 1\n", .unknownKey),
        ("tken = \"2026-11\"\n", .unknownKey),
        ("currency = \"eur\"\n", .invalidValue),
        ("batch_cached_input_rule = \"half\"\n", .invalidValue),
        ("[models.\"x\"\ninput = 1\n", .invalidTOML),
        ("models = 3\n", .invalidValue),
    ])
    func badPriceFilesGiveClearErrors(text: String, code: PriceTableError.Code) throws {
        let base = try PriceTable.shippedDefault()
        do {
            _ = try base.overriding(withTOML: text, path: "bad.toml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.source == "bad.toml")
            #expect(error.description.contains("bad.toml"))
        }
    }

    @Test func dottedModelNameErrorSaysToQuote() throws {
        do {
            _ = try PriceTable.shippedDefault().overriding(withTOML: "[models.gpt-4.1]\ninput = 1\noutput = 1\n", path: "p.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.message.contains("[models.\"gpt-4.1\"]"), "\(error)")
        }
    }

    @Test func missingUserFileIsAClearError() {
        do {
            _ = try PriceTable.loadingUserFile(at: "/nonexistent/prices.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.source == "/nonexistent/prices.toml")
        }
    }

    @Test func embeddedDefaultMatchesTheDataFile() throws {
        // Tests/BatchKitTests/<this file> -> repository root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("data/prices-default.toml"), encoding: .utf8)
        #expect(file.trimmingCharacters(in: .newlines) == PriceTable.shippedDefaultTOML.trimmingCharacters(in: .newlines),
                "run scripts/embed-default-prices.sh after editing data/prices-default.toml")
    }
}
