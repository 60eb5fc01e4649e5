// Fuzz target: config.toml (ConfigLoader and the sections read from it) and the price file (PriceFileParser).
//
// Input: TOML text. Both readers take text as UTF-8 (anything else is refused before parsing, as the
// files are read), so other bytes are dropped here. The config is resolved with an empty environment and a
// home directory that does not exist; then the sections other code reads from it ([approvals], [routing],
// [lanes], [budgets]) are parsed and used. The same text is layered as a user price file over the shipped
// table, and every resulting row prices small and absurd usage in both lanes.
import BatchKit
import Foundation
import FuzzSupport

let home = URL(fileURLWithPath: "/nonexistent/batchtop-fuzz-home")
let loader = ConfigLoader(environment: [:], home: home, workingDirectory: home)
let shipped: PriceTable = {
    do { return try PriceTable.shippedDefault() } catch { fatalError("\(error)") }
}()
let usages = [
    TokenUsage(inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 500, reasoningTokens: 100),
    TokenUsage(inputTokens: .max, cachedInputTokens: .max, outputTokens: .max, reasoningTokens: .max),
    TokenUsage(inputTokens: 10, cachedInputTokens: 50, outputTokens: 0, reasoningTokens: 9),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    checkConfig(text)
    checkPrices(text)
    return 0
}

func checkConfig(_ text: String) {
    let config: BatchtopConfig
    do {
        config = try loader.load(configText: text)
    } catch {
        fuzzCheck(!"\(error)".isEmpty, "an empty config error")
        return
    }
    for w in config.warnings { _ = w.description }
    if let settings = try? OperationsSettings.parse(config.reservedSections, path: config.paths.configFile.value.path) {
        let router = Router(policy: settings.policy)
        // Workload names come from batch metadata; route a few odd ones through the configured globs.
        for workload in ["", "nightly-eval", String(repeating: "a", count: 200), "\u{1B}]0;x\u{07}", text] {
            _ = router.route(workload: workload, endpoint: "/v1/chat/completions", model: "gpt-4o-mini")
        }
        for rule in settings.policy.rules { _ = rule.summary }
    }
    _ = try? LanesSettings(config: config)
    let spend: [Lane: PeriodSpend] = [
        .batch: PeriodSpend(today: MicroDollars(.max), thisMonth: MicroDollars(.max)),
        .realtime: PeriodSpend(today: MicroDollars(1), thisMonth: MicroDollars(-5)),
    ]
    let statuses = BudgetEvaluator.evaluate(config.spend.budgets, spend: spend)
    for s in statuses { _ = s.percentUsed }
    _ = BudgetEvaluator.worst(statuses)
    _ = config.adminClientOptions()
}

func checkPrices(_ text: String) {
    let table: PriceTable
    do {
        table = try shipped.overriding(withTOML: text, path: "fuzz-prices.toml")
    } catch {
        fuzzCheck(!"\(error)".isEmpty, "an empty price file error")
        return
    }
    for name in table.models.keys.sorted() {
        for lane in [Lane.batch, .realtime] {
            for usage in usages {
                let priced = table.price(usage, model: name, lane: lane)
                if let cost = priced.cost {
                    fuzzCheck(cost.total.value >= 0, "negative cost \(cost) for \(name) in \(lane)")
                }
            }
        }
    }
}

@main enum FuzzMain {
    static func main() { runLibFuzzer { data, size in fuzz(data ?? emptyFuzzInput, size) } }
}
