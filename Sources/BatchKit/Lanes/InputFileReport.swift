/// What a person (or `--json`) is told about a validated input file: the summary without its index.
public struct InputFileReport: Codable, Sendable, Hashable {
    public var path: String
    public var bytes: Int64
    public var lines: Int
    public var requests: Int
    public var endpoint: String?
    public var model: String?
    public var estimatedInputTokens: TokenCount
    public var valid: Bool
    public var errorCount: Int
    public var problemCount: Int
    /// Problems left out of `problems` by the cap.
    public var omittedProblems: Int
    /// Counts per kind, by the kind's stable name.
    public var countsByKind: [String: Int]
    public var problems: [InputProblem]

    public init(_ summary: InputFileSummary) {
        path = summary.path; bytes = summary.bytes; lines = summary.lines; requests = summary.requests
        endpoint = summary.endpoint; model = summary.model; estimatedInputTokens = summary.estimatedInputTokens
        valid = summary.isValid; errorCount = summary.errorCount; problemCount = summary.problemCount
        omittedProblems = summary.omittedProblems; problems = summary.problems
        countsByKind = Dictionary(uniqueKeysWithValues: summary.countsByKind.map { ($0.key.rawValue, $0.value) })
    }

    /// `input.jsonl: 120,000 requests, 203.5 MB, /v1/chat/completions, gpt-4o, ~1,234 tokens (estimated): valid`
    public var headline: String {
        let megabytes = Double(bytes) / 1_000_000
        let size = megabytes >= 0.1 ? "\((megabytes * 10).rounded() / 10) MB" : "\(bytes) bytes"
        var parts = ["\(TokenCount.grouped(Int64(requests))) requests", size]
        if let endpoint { parts.append(endpoint) }
        if let model { parts.append(model) }
        parts.append(estimatedInputTokens.description)
        let verdict = valid ? "valid" : "\(TokenCount.grouped(Int64(errorCount))) error\(errorCount == 1 ? "" : "s"); nothing will be uploaded"
        return "\(path): \(parts.joined(separator: ", ")): \(verdict)"
    }

    /// The headline, every reported problem, and what the cap left out.
    public var textLines: [String] {
        var out = [headline] + problems.map { "  \($0)" }
        if omittedProblems > 0 {
            let kinds = countsByKind.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
                .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.append("  ... and \(TokenCount.grouped(Int64(omittedProblems))) more problems not shown (all found: \(kinds))")
        }
        return out
    }
}
