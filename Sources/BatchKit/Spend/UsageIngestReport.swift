/// What a batch output (or error) file says about usage: tokens per model, and every line accounted for.
///
/// Every non-blank line is exactly one of succeeded, failed or unreadable, so
/// `lines == succeeded + failed + unreadable` always holds.
public struct UsageIngestReport: Hashable, Sendable {
    /// The model key used when a line has usage but names no model and no fallback was given;
    /// it matches no price row, so its tokens show up as unpriced instead of as $0.
    public static let unknownModel = "(unknown model)"
    /// How many unreadable line numbers are kept for messages.
    public static let keptLineNumbers = 20

    /// Non-blank lines seen.
    public var lines = 0
    /// Lines with a response, a status below 400 and no `error`.
    public var succeeded = 0
    /// Lines with `error` set, a null response, or a status of 400 or more.
    public var failed = 0
    /// Failed lines by error code (`batch_expired`, `rate_limit_exceeded`, `http_500`, `no_response`, ...).
    public var failuresByCode: [String: Int] = [:]
    /// The first failure message seen per code (untrusted text, at most 300 characters), for showing
    /// an operator what a code means in this file.
    public var failureExamples: [String: String] = [:]
    /// Lines that are not one well-formed JSON object (malformed, truncated, too long).
    public var unreadable = 0
    /// Of those, lines longer than the reader's line limit (skipped without being buffered).
    public var oversized = 0
    /// The first `keptLineNumbers` unreadable lines (1-based physical line numbers) with the reason.
    public var unreadableSamples: [UnreadableLine] = []
    /// Successful lines that carried no usage object with token counts.
    public var succeededWithoutUsage = 0
    /// Summed usage and request counts per model, as the lines name it (dated names kept).
    public var usageByModel: [String: ModelUsage] = [:]
    /// How many lines reported each usage shape.
    public var shapes: [UsageShape: Int] = [:]
    /// Bytes read, newlines included.
    public var bytes: Int64 = 0

    public init() {}

    /// All tokens over all models.
    public var totalUsage: TokenUsage {
        usageByModel.values.reduce(TokenUsage()) { $0.saturatingAdding($1.usage) }
    }

    /// Adds another file's report (a batch's output file and error file, say).
    ///
    /// Unreadable samples keep their per-file line numbers; up to `keptLineNumbers` are kept in total.
    public mutating func merge(_ other: UsageIngestReport) {
        lines += other.lines
        succeeded += other.succeeded
        failed += other.failed
        failuresByCode.merge(other.failuresByCode, uniquingKeysWith: +)
        failureExamples.merge(other.failureExamples) { mine, _ in mine }
        unreadable += other.unreadable
        oversized += other.oversized
        unreadableSamples.append(contentsOf: other.unreadableSamples.prefix(max(0, Self.keptLineNumbers - unreadableSamples.count)))
        succeededWithoutUsage += other.succeededWithoutUsage
        usageByModel.merge(other.usageByModel) { ModelUsage(usage: $0.usage.saturatingAdding($1.usage), requests: $0.requests + $1.requests) }
        shapes.merge(other.shapes, uniquingKeysWith: +)
        bytes += other.bytes
    }

    /// Usage per model, the input of `PriceTable.price` and `Savings.of`.
    public var tokensByModel: [String: TokenUsage] { usageByModel.mapValues(\.usage) }
}

/// Summed usage of one model and the number of lines that contributed.
public struct ModelUsage: Hashable, Sendable {
    /// Summed tokens.
    public var usage: TokenUsage
    /// Lines that reported usage.
    public var requests: Int

    public init(usage: TokenUsage = TokenUsage(), requests: Int = 0) {
        self.usage = usage; self.requests = requests
    }

    /// Adds one request's usage.
    public mutating func add(_ more: TokenUsage) {
        usage = usage.saturatingAdding(more)
        requests += 1
    }
}

/// A line the reader could not read, for error messages.
public struct UnreadableLine: Hashable, Sendable {
    /// 1-based physical line number in the file.
    public var line: Int
    /// Why it could not be read.
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line; self.reason = reason
    }
}
