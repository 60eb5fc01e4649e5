import BatchKit
import Foundation

/// Renders a `SpendReport` as a table, CSV or the `batchtop.spend/v1` JSON contract.
enum SpendOutput {
    /// `--check` exit codes: 0 ok, 1 warning, 2 critical.
    static func exitCode(_ level: BudgetLevel) -> Int32 { Int32(level.rawValue) }

    static func table(_ r: SpendReport) -> SafeText {
        var out = "Spend \(r.from) .. \(r.to) (days in \(r.timeZoneID); provider usage and costs are UTC days)\n"
        // Grouped by lane, the key column would repeat the lane.
        let keyed = r.grouping != .lane
        var lines = [["LANE"] + (keyed ? [r.grouping.rawValue.uppercased()] : []) + ["REQUESTS", "INPUT", "CACHED", "OUTPUT", "COST"]]
        for row in r.rows {
            lines.append([row.lane.rawValue] + (keyed ? [UntrustedText.singleLine(row.key, limit: 40)] : []) + [
                String(row.requests), String(row.usage.inputTokens), String(row.usage.cachedInputTokens),
                String(row.usage.outputTokens), row.cost.formatted + (row.unpricedTokens > 0 ? " +unpriced" : "")])
        }
        out += align(lines, leftColumns: keyed ? 2 : 1)
        out += "\n"
        for lane in r.lanes {
            var line = "\(lane.lane.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(lane.cost.formatted)"
            for s in lane.budget {
                line += " · \(s.period == .day ? "today" : "month") \(s.spent.formatted)/\(s.limit.formatted)"
                line += s.percentUsed.map { " (\($0)%)" } ?? "" 
                line += " \(s.level)"
            }
            if lane.budget.isEmpty { line += " · no budget" }
            if lane.unpricedTokens > 0 { line += " · \(lane.unpricedTokens) unpriced tokens" }
            out += line + "\n"
        }
        out += "total     \(r.total.formatted)\n"
        out += "saved by batching: \(r.savings.saved.formatted) (batch tokens at real-time rates \(r.savings.realtimeEquivalent.formatted), at batch rates \(r.savings.batchCost.formatted))\n"
        if r.reconciliation.isEmpty {
            out += "provider reconciliation: no organisation usage in range (set an admin key and run `batchtop spend --sync`)\n"
        } else {
            let priced = r.reconciliation.reduce(MicroDollars.zero) { $0 + $1.pricedUsage }
            let billed = r.reconciliation.reduce(MicroDollars.zero) { $0 + $1.providerCost }
            out += "provider (UTC days, \(r.reconciliation.count)): usage priced \(priced.formatted), billed \(billed.formatted), unattributed \(r.unattributed.formatted)\n"
        }
        if !r.unpricedModels.isEmpty {
            out += "unpriced models (not in the price table, counted as tokens, not $0): \(r.unpricedModels.map { UntrustedText.singleLine($0, limit: 60) }.joined(separator: ", "))\n"
        }
        if r.level != .ok { out += "budget: \(r.level)\n" }
        // Keys and model names are sanitized and cut above; this keeps the layout's newlines only.
        return SafeText(lines: out)
    }

    static func align(_ lines: [[String]], leftColumns: Int) -> String {
        guard let width = lines.first?.count else { return "" }
        var widths = Array(repeating: 0, count: width)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return lines.map { line in
            line.enumerated().map { i, cell in
                i >= leftColumns ? String(repeating: " ", count: widths[i] - cell.count) + cell
                       : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func csv(_ r: SpendReport) -> SafeText {
        var out = "lane,\(r.grouping.rawValue),requests,input_tokens,cached_input_tokens,output_tokens,cost_usd,cost_micros,unpriced_tokens\n"
        for row in r.rows {
            out += [row.lane.rawValue, csvField(row.key), String(row.requests), String(row.usage.inputTokens),
                    String(row.usage.cachedInputTokens), String(row.usage.outputTokens), dollars(row.cost), String(row.cost.value),
                    String(row.unpricedTokens)].joined(separator: ",") + "\n"
        }
        return SafeText(lines: out)
    }

    /// A quoted text cell (`CSVField`: sanitized, formula-defused).
    static func csvField(_ text: String) -> String { CSVField.text(text, quoteAlways: true) }

    /// Exact dollars with six decimals (`12.345678`).
    static func dollars(_ m: MicroDollars) -> String {
        let sign = m.value < 0 ? "-" : ""
        let a = m.value.magnitude
        let frac = String(a % 1_000_000)
        return "\(sign)\(a / 1_000_000).\(String(repeating: "0", count: 6 - frac.count))\(frac)"
    }

    struct JSONReport: Encodable {
        struct Row: Encodable {
            var lane: String, key: String, requests: Int64, input_tokens: Int64, cached_input_tokens: Int64
            var output_tokens: Int64, reasoning_tokens: Int64, cost_micros: Int64, unpriced_tokens: Int64
        }
        struct Budget: Encodable {
            var lane: String, period: String, limit_micros: Int64, spent_micros: Int64, level: String
        }
        struct LaneTotal: Encodable {
            var lane: String, cost_micros: Int64, unpriced_tokens: Int64, level: String
        }
        struct Day: Encodable {
            var day: String, usage_realtime_micros: Int64, usage_batch_micros: Int64, billed_micros: Int64
            var unattributed_micros: Int64, unpriced_tokens: Int64
        }
        var schema = "batchtop.spend/v1"
        var from: String, to: String, today: String, time_zone: String, provider_time_zone = "UTC", group_by: String
        var rows: [Row], lanes: [LaneTotal], total_micros: Int64
        var savings: [String: Int64]
        var budgets: [Budget], level: String
        var reconciliation: [Day], unattributed_micros: Int64, unpriced_models: [String]
    }

    static func json(_ r: SpendReport) throws -> SafeText {
        let report = JSONReport(
            from: r.from.description, to: r.to.description, today: r.today.description, time_zone: r.timeZoneID,
            group_by: r.grouping.rawValue,
            rows: r.rows.map {
                .init(lane: $0.lane.rawValue, key: $0.key, requests: $0.requests, input_tokens: $0.usage.inputTokens,
                      cached_input_tokens: $0.usage.cachedInputTokens, output_tokens: $0.usage.outputTokens,
                      reasoning_tokens: $0.usage.reasoningTokens, cost_micros: $0.cost.value, unpriced_tokens: $0.unpricedTokens)
            },
            lanes: r.lanes.map { .init(lane: $0.lane.rawValue, cost_micros: $0.cost.value, unpriced_tokens: $0.unpricedTokens, level: $0.level.description) },
            total_micros: r.total.value,
            savings: ["saved_micros": r.savings.saved.value, "realtime_equivalent_micros": r.savings.realtimeEquivalent.value,
                      "batch_cost_micros": r.savings.batchCost.value],
            budgets: r.budgets.map { .init(lane: $0.lane.rawValue, period: $0.period.rawValue, limit_micros: $0.limit.value, spent_micros: $0.spent.value, level: $0.level.description) },
            level: r.level.description,
            reconciliation: r.reconciliation.map {
                .init(day: $0.day.description, usage_realtime_micros: $0.usageCost[.realtime]?.value ?? 0,
                      usage_batch_micros: $0.usageCost[.batch]?.value ?? 0, billed_micros: $0.providerCost.value,
                      unattributed_micros: $0.unattributed.value, unpriced_tokens: $0.unpricedTokens)
            },
            unattributed_micros: r.unattributed.value, unpriced_models: r.unpricedModels)
        return try TerminalSafeJSON.encode(report, compact: true)
    }
}
