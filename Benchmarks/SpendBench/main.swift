import BatchKit
import Foundation
import TestSupport

// Spend ledger figures: pricing N terminal jobs into the ledger (first run, then a no-op rerun) and building
// a 30-day report by workload. Usage: swift run [-c release] SpendBench [jobs] (default 20,000).

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20_000
let dir = try BatchFixtures.temporaryDirectory("spend-bench")
defer { try? FileManager.default.removeItem(at: dir) }
let store = try BatchStore(url: dir.appendingPathComponent("batchtop.sqlite"))
var batches: [Batch] = []
batches.reserveCapacity(count)
for n in 0..<count {
    var b = BatchFixtures.batch(n, status: .completed, completed: 10, workload: "w\(n % 7)",
                                model: n % 2 == 0 ? "gpt-4o-mini" : "gpt-4.1-mini-2025-04-14")
    b.usage = TokenUsage(inputTokens: Int64(1_000 + n), cachedInputTokens: Int64(n % 500), outputTokens: 100)
    batches.append(b)
}
try store.applyCycle(batches, observedAt: 1_767_100_000)
let prices = try PriceTable.shippedDefault()
let sync = SpendSync(store: store, prices: prices, clock: ManualClock())

func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try await body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

let (first, firstSeconds) = try await timed { try await sync.run() }
let (_, againSeconds) = try await timed { try await sync.run() }
let day = CalendarDay(unixSeconds: 1_767_000_000)
let (report, reportSeconds) = try await timed {
    try SpendReport.load(store: store, settings: SpendSettings(), prices: prices, from: day.adding(days: -30),
                         to: day.adding(days: 1), today: day, grouping: .workload)
}
print("jobs priced (first run): \(first.jobsPriced) in \(String(format: "%.3f", firstSeconds)) s")
print("rerun (nothing to do):   \(String(format: "%.3f", againSeconds)) s")
print("30-day report by workload: \(report.rows.count) rows, total \(report.total) in \(String(format: "%.3f", reportSeconds)) s")
