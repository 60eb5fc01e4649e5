import Foundation

/// Cost differences between lanes for decisions, from the Spend price table.
public enum CostEstimate {
    /// The price difference of `usage` on `model` moved from one lane to another (positive costs more).
    public static func delta(_ usage: TokenUsage, model: String, from: Lane, to: Lane, prices: PriceTable) -> MicroDollars? {
        guard from != to else { return .zero }
        guard let a = prices.price(usage, model: model, lane: from).cost?.total,
              let b = prices.price(usage, model: model, lane: to).cost?.total else { return nil }
        return b - a
    }

    /// The extra cost of running a job's unfinished requests in another lane, scaled from the usage of
    /// its finished ones; nil without usage or progress to scale from.
    public static func remaining(_ job: Job, from: Lane, to: Lane, prices: PriceTable) -> MicroDollars? {
        let counts = job.batch.requestCounts
        let done = counts.completed + counts.failed
        guard let usage = job.batch.usage, let model = job.batch.model, done > 0 else { return nil }
        let pending = Int64(max(0, counts.total - done))
        let scale = { (v: Int64) in v * pending / Int64(done) }
        let rest = TokenUsage(inputTokens: scale(usage.inputTokens), cachedInputTokens: scale(usage.cachedInputTokens),
                              outputTokens: scale(usage.outputTokens), reasoningTokens: scale(usage.reasoningTokens))
        return delta(rest, model: model, from: from, to: to, prices: prices)
    }

    /// The workload's last 24 hours of priced usage moved between lanes: the daily cost impact.
    public static func dailyWorkload(_ workload: String, from: Lane, to: Lane, store: BatchStore, prices: PriceTable, now: Int64) throws -> MicroDollars? {
        let jobs = try store.jobs(JobFilter(workload: workload, createdSince: now - 86_400))
        var total = MicroDollars.zero
        var priced = false
        for job in jobs {
            guard let usage = job.batch.usage, let model = job.batch.model,
                  let d = delta(usage, model: model, from: from, to: to, prices: prices) else { continue }
            total = total + d
            priced = true
        }
        return priced ? total : nil
    }
}
