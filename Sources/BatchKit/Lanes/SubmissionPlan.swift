/// What `submit --dry-run` shows: each chunk with its size, estimated input tokens and cost per lane,
/// and when admission control expects to let it go.
///
/// Costs come from a function passed in (the spend module owns prices), and only input tokens are
/// priced: output tokens are unknown before the run, so the figure is a floor on the real cost and
/// says so.
public struct SubmissionPlan: Codable, Sendable, Hashable {
    /// One chunk of the plan.
    public struct Row: Codable, Sendable, Hashable {
        public var chunk: Chunk
        /// Unix seconds, nil when it can never be admitted.
        public var admitAt: Int64?
        public var admitReason: String
        /// Estimated input cost per lane (raw lane name), for lanes with a known price.
        public var inputCost: [String: MicroDollars]
    }

    public var path: String
    public var endpoint: String?
    public var model: String?
    public var rows: [Row]

    /// Builds the plan from a validated file's chunks and the admission forecast of those chunks.
    ///
    /// - Parameter inputCost: the price of `tokens` input tokens of `model` in a lane, or nil when unknown.
    public init(summary: InputFileSummary, chunks: [Chunk], forecast: [AdmissionForecast], submissionID: String,
                inputCost: (_ model: String, _ lane: Lane, _ tokens: Int64) -> MicroDollars?) {
        path = summary.path; endpoint = summary.endpoint; model = summary.model
        let byID = Dictionary(forecast.map { ($0.chunkID, $0) }, uniquingKeysWith: { first, _ in first })
        rows = chunks.map { chunk in
            let planned = byID["\(submissionID)#\(chunk.index)"]
            var cost: [String: MicroDollars] = [:]
            if let model = summary.model {
                for lane in Lane.allCases {
                    if let price = inputCost(model, lane, chunk.estimatedTokens.value) { cost[lane.rawValue] = price }
                }
            }
            return Row(chunk: chunk, admitAt: planned?.admitAt ?? nil,
                       admitReason: planned?.reason ?? "not forecast", inputCost: cost)
        }
    }

    /// Estimated input tokens over all chunks.
    public var totalTokens: TokenCount { rows.reduce(TokenCount(value: 0, exact: false)) { $0 + $1.chunk.estimatedTokens } }

    /// Estimated input cost per lane over all chunks (lanes priced for every chunk only).
    public var totalInputCost: [String: MicroDollars] {
        var total: [String: MicroDollars] = [:]
        for lane in Lane.allCases where rows.allSatisfy({ $0.inputCost[lane.rawValue] != nil }) && !rows.isEmpty {
            total[lane.rawValue] = rows.reduce(.zero) { $0 + $1.inputCost[lane.rawValue]! }
        }
        return total
    }

    /// A plain-text table, times relative to `now` (the caller's clock; nothing here reads one).
    public func textLines(now: Int64) -> [String] {
        var out = ["\(path): \(rows.count) chunk\(rows.count == 1 ? "" : "s"), \(endpoint ?? "-"), \(model ?? "-"), \(totalTokens)"]
        for row in rows {
            let c = row.chunk
            let costs = Lane.allCases.compactMap { lane in row.inputCost[lane.rawValue].map { "\(lane) \($0)" } }
            out.append("  chunk \(c.index + 1): lines \(c.firstLine)-\(c.lastLine), \(TokenCount.grouped(Int64(c.requestCount))) requests, "
                + "\(c.uploadBytes) bytes, ~\(TokenCount.grouped(c.estimatedTokens.value)) input tokens"
                + (costs.isEmpty ? "" : ", input cost \(costs.joined(separator: " / "))")
                + ", admit \(Self.relative(row.admitAt, now: now))")
        }
        let totals = Lane.allCases.compactMap { lane in totalInputCost[lane.rawValue].map { "\(lane) \($0)" } }
        if !totals.isEmpty {
            out.append("  input cost in total: \(totals.joined(separator: " / ")) (output tokens not included)")
        }
        return out
    }

    /// `now`, `in 2h 5m`, `never`.
    static func relative(_ at: Int64?, now: Int64) -> String {
        guard let at else { return "never" }
        let wait = at - now
        guard wait > 0 else { return "now" }
        let hours = wait / 3600, minutes = (wait % 3600 + 59) / 60
        return hours > 0 ? "in \(hours)h \(minutes)m" : "in \(minutes)m"
    }
}
