import Testing
@testable import BatchKit

@Suite struct SpendCostTests {
    @Test(arguments: [
        ("1.25", Int64(1_250_000)), ("0.0625", 62_500), ("10", 10_000_000), ("10.00", 10_000_000),
        ("0", 0), ("0.000001", 1), ("0.1250000", 125_000), (".5", 500_000), ("7.", 7_000_000),
    ] as [(String, Int64)])
    func decimalRatesParseExactly(text: String, micro: Int64) {
        #expect(TokenRate(dollarsPerMillion: text) == TokenRate(microDollarsPerMillion: micro))
    }

    @Test(arguments: ["", ".", "-1", "1e-3", "0.1234567", "1,5", "1.2.3", " 1", "12345678901234"])
    func invalidDecimalRatesAreRejected(text: String) {
        #expect(TokenRate(dollarsPerMillion: text) == nil)
    }

    @Test(arguments: [(0.175, Int64(175_000)), (0.0875, 87_500), (14.0, 14_000_000), (1e-05, 10), (0.0025, 2_500)] as [(Double, Int64)])
    func floatRatesGoThroughTheirShortestDecimal(value: Double, micro: Int64) {
        #expect(TokenRate(dollarsPerMillion: value) == TokenRate(microDollarsPerMillion: micro))
    }

    @Test(arguments: [
        // (tokens, rate in micro-dollars per 1M, expected micro-dollars): round half up.
        (Int64(1), Int64(150_000), Int64(0)),       // 0.15 -> 0
        (3, 175_000, 1),                            // 0.525 -> 1
        (2, 250_000, 1),                            // 0.5 -> 1 (half up)
        (1, 499_999, 0),                            // 0.499999 -> 0
        (4, 125_000, 1),                            // 0.5 -> 1
        (1_000_000, 1_250_000, 1_250_000),
        (7, 0, 0),
        (-2, 250_000, -1),                          // symmetric for corrupt negatives
        // 10^12 tokens at $60/1M = $60M: the product overflows Int64, the result does not.
        (1_000_000_000_000, 60_000_000, 60_000_000_000_000),
        (Int64.max, 60_000_000, Int64.max),         // saturates instead of trapping
    ] as [(Int64, Int64, Int64)])
    func costRoundsHalfUpOnceWithoutOverflow(tokens: Int64, rate: Int64, expected: Int64) {
        #expect(TokenRate(microDollarsPerMillion: rate).cost(ofTokens: tokens) == MicroDollars(expected))
    }

    @Test func pricingTheAggregateDoesNotDriftLikePerLineRounding() throws {
        let table = try PriceTable.shippedDefault()
        // 1,000 requests of 1 input token each at gpt-4o-mini's $0.15/1M.
        let perLine = (0..<1000).reduce(MicroDollars.zero) { sum, _ in
            sum + (table.price(TokenUsage(inputTokens: 1), model: "gpt-4o-mini", lane: .realtime).cost?.total ?? .zero)
        }
        let aggregate = table.price(TokenUsage(inputTokens: 1000), model: "gpt-4o-mini", lane: .realtime).cost?.total
        #expect(perLine == .zero)
        #expect(aggregate == MicroDollars(150))
    }

    @Test func breakdownSplitsCachedAndNeverChargesReasoningTwice() throws {
        let rates = try #require(try PriceTable.shippedDefault().rates(for: "gpt-4o", lane: .realtime))
        let usage = TokenUsage(inputTokens: 1000, cachedInputTokens: 400, outputTokens: 500, reasoningTokens: 200)
        let cost = rates.cost(of: usage)
        #expect(cost.uncachedInput == MicroDollars(600 * 25 / 10))   // 600 tokens at $2.50/1M
        #expect(cost.cachedInput == MicroDollars(400 * 125 / 100))   // 400 tokens at $1.25/1M
        #expect(cost.output == MicroDollars(500 * 10))               // 500 tokens at $10/1M, reasoning inside
        #expect(cost.total == cost.uncachedInput + cost.cachedInput + cost.output)
        #expect(cost.total == MicroDollars(7_000))
    }

    @Test func moreCachedThanInputIsClampedNotNegative() throws {
        let rates = try #require(try PriceTable.shippedDefault().rates(for: "gpt-4o", lane: .realtime))
        let cost = rates.cost(of: TokenUsage(inputTokens: 100, cachedInputTokens: 300))
        #expect(cost.uncachedInput == .zero)
        #expect(cost.cachedInput == rates.cachedInput?.cost(ofTokens: 100))
    }

    @Test func savingsAreRealtimeEquivalentMinusBatchCost() throws {
        let table = try PriceTable.shippedDefault()
        let mini = TokenUsage(inputTokens: 2_000_000, cachedInputTokens: 0, outputTokens: 1_000_000)
        let unknown = TokenUsage(inputTokens: 5, outputTokens: 5)
        let savings = Savings.of(batchUsage: ["gpt-4o-mini-2024-07-18": mini, "mystery-model": unknown], prices: table)
        // Real-time: 2M x $0.15 + 1M x $0.60 = $0.90; batch: 2M x $0.075 + 1M x $0.30 = $0.45.
        #expect(savings.realtimeEquivalent == MicroDollars(900_000))
        #expect(savings.batchCost == MicroDollars(450_000))
        #expect(savings.saved == MicroDollars(450_000))
        #expect(savings.unpriced == ["mystery-model": unknown])
    }

    @Test func cachedHeavyBatchCanSaveLessOrNegativeUnderTheBatchInputRule() throws {
        let table = try PriceTable.shippedDefault()
        // gpt-4.1: real-time cached $0.50/1M, batch cached (unpublished -> batch input) $1.00/1M.
        let usage = TokenUsage(inputTokens: 1_000_000, cachedInputTokens: 1_000_000)
        let savings = Savings.of(batchUsage: ["gpt-4.1": usage], prices: table)
        #expect(savings.saved == MicroDollars(500_000 - 1_000_000))
    }

    @Test(arguments: [(Int64(175_000), "$0.175/1M"), (10_000_000, "$10.00/1M"), (62_500, "$0.0625/1M"), (1, "$0.000001/1M")] as [(Int64, String)])
    func rateDescription(micro: Int64, text: String) {
        #expect(TokenRate(microDollarsPerMillion: micro).description == text)
    }
}

@Suite struct SpendBatchPricingTests {
    @Test func batchUsageIsPricedAtBatchRatesOrLeftForTheOutputFile() throws {
        let table = try PriceTable.shippedDefault()
        let usage = TokenUsage(inputTokens: 2_000_000, cachedInputTokens: 1_000_000, outputTokens: 1_000_000)
        let batch = Batch(id: "batch_1", model: "gpt-4.1-nano-2025-04-14", status: .completed, createdAt: 1, usage: usage)
        // 1M uncached at $0.05 + 1M cached at the batch input rate $0.05 + 1M output at $0.20.
        #expect(table.price(batch: batch)?.cost == CostBreakdown(uncachedInput: MicroDollars(50_000), cachedInput: MicroDollars(50_000), output: MicroDollars(200_000)))
        #expect(table.price(batch: Batch(id: "old", status: .completed, createdAt: 1)) == nil)
        let noModel = Batch(id: "b", status: .completed, createdAt: 1, usage: usage)
        #expect(table.price(batch: noModel) == .unpriced(model: UsageIngestReport.unknownModel, lane: .batch, usage: usage))
    }

    @Test func outputAndErrorFileReportsMerge() throws {
        let output = UsageIngest.read(bytes: Array((SpendUsageIngestTests.chatLine + "\n" + SpendUsageIngestTests.responsesLine + "\nbad").utf8))
        let errors = UsageIngest.read(bytes: Array(#"{"response":null,"error":{"code":"batch_expired"}}"#.utf8))
        var merged = output
        merged.merge(errors)
        #expect(merged.lines == output.lines + errors.lines)
        #expect(merged.failuresByCode == ["batch_expired": 1])
        #expect(merged.unreadable == 1)
        #expect(merged.usageByModel == output.usageByModel)
        let priced = try PriceTable.shippedDefault().price(merged)
        #expect(priced.map(\.isPriced) == [true, true])
        #expect(priced.count == merged.usageByModel.count)
    }
}
