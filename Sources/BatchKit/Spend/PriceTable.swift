import Foundation

/// Per-model, per-lane token prices: the shipped default table, optionally overridden by a user file.
///
/// A pure value: look-ups and pricing do no I/O. Build one with `shippedDefault()` or
/// `loadingUserFile(at:)`, then call `price(_:model:lane:)` on aggregated usage.
public struct PriceTable: Sendable, Hashable {
    /// When the prices were taken (`2026-11` for the shipped table; a user file may set its own).
    public var taken: String
    /// How a cached token is charged inside a batch when no batch cached rate is published.
    public var batchCachedInputRule: BatchCachedInputRule
    /// Rows by exact model name.
    public var models: [String: ModelPrice]
    /// Every file that contributed, shipped table first.
    public var sources: [PriceOrigin]

    public init(taken: String, batchCachedInputRule: BatchCachedInputRule = .batchInput, models: [String: ModelPrice], sources: [PriceOrigin]) {
        self.taken = taken; self.batchCachedInputRule = batchCachedInputRule
        self.models = models; self.sources = sources
    }

    private static let shippedDefaultResult: Result<PriceTable, PriceTableError> = Result { () throws(PriceTableError) -> PriceTable in
        let doc = try PriceFileParser.parse(shippedDefaultTOML, source: "built-in")
        let taken = doc.taken ?? "unknown"
        return try PriceTable(taken: "unknown", models: [:], sources: [])
            .overlaid(with: doc, origin: .shippedDefault(taken: taken), source: "built-in")
    }

    /// The table shipped with batchtop (parsed once; it is covered by tests, so it does not fail in practice).
    public static func shippedDefault() throws(PriceTableError) -> PriceTable {
        try shippedDefaultResult.get()
    }

    /// The shipped table overridden and extended by the user price file at `path`.
    public static func loadingUserFile(at path: String) throws(PriceTableError) -> PriceTable {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PriceTableError(code: .unreadableFile, source: path, message: "cannot read the price file (\(SystemErrorText.reason(error))); check the path and permissions, or remove the setting to use the built-in prices")
        }
        return try shippedDefault().overriding(withTOML: text, path: path)
    }

    /// This table with the rows and settings of a price file's `text` layered on top, field by field.
    public func overriding(withTOML text: String, path: String) throws(PriceTableError) -> PriceTable {
        try overlaid(with: PriceFileParser.parse(text, source: path), origin: .userFile(path: path), source: path)
    }

    func overlaid(with doc: PriceFileParser.Document, origin: PriceOrigin, source: String) throws(PriceTableError) -> PriceTable {
        var result = self
        if let taken = doc.taken { result.taken = taken }
        if let rule = doc.batchCachedInputRule { result.batchCachedInputRule = rule }
        for name in doc.models.keys.sorted() {
            guard var row = doc.models[name] else { continue }
            row.origin = origin
            let merged = result.models[name].map { $0.overlaid(with: row) } ?? row
            try Self.validate(merged, name: name, source: source)
            result.models[name] = merged
        }
        result.sources.append(origin)
        return result
    }

    /// Rule: a lane has both input and output rates or neither, and a cached rate needs its input
    /// rate, why: a half-priced lane would show a partial cost as if it were complete.
    static func validate(_ row: ModelPrice, name: String, source: String) throws(PriceTableError) {
        let key = "models.\"\(name)\""
        if (row.input == nil) != (row.output == nil) {
            throw PriceTableError(code: .incompleteRow, source: source, key: key, message: "the real-time lane needs both input and output (or neither, leaving it unpriced)")
        }
        if (row.batchInput == nil) != (row.batchOutput == nil) {
            throw PriceTableError(code: .incompleteRow, source: source, key: key, message: "the batch lane needs both batch_input and batch_output (or neither, leaving it unpriced)")
        }
        if row.cachedInput != nil, row.input == nil {
            throw PriceTableError(code: .incompleteRow, source: source, key: key, message: "cached_input needs input and output")
        }
        if row.batchCachedInput != nil, row.batchInput == nil {
            throw PriceTableError(code: .incompleteRow, source: source, key: key, message: "batch_cached_input needs batch_input and batch_output")
        }
    }

    /// The row for `model`: an exact row, else the row of the name without its `-YYYY-MM-DD` suffix.
    public func resolve(_ model: String) -> (name: String, price: ModelPrice)? {
        if let price = models[model] { return (model, price) }
        if let base = ModelName.strippingDateSuffix(model), let price = models[base] { return (base, price) }
        return nil
    }

    /// The rates charged for `model` in `lane`, or nil when unpriced.
    public func rates(for model: String, lane: Lane) -> LaneRates? {
        resolve(model)?.price.rates(for: lane, rule: batchCachedInputRule)
    }

    /// Prices aggregated `usage` of `model` in `lane`: one rounding per token class.
    ///
    /// Sum the tokens of an aggregate (day x lane x model) first and price once, so per-line rounding
    /// never accumulates.
    public func price(_ usage: TokenUsage, model: String, lane: Lane) -> PricedUsage {
        guard let (name, row) = resolve(model), let rates = row.rates(for: lane, rule: batchCachedInputRule) else {
            return .unpriced(model: model, lane: lane, usage: usage)
        }
        return .priced(model: model, resolvedModel: name, lane: lane, usage: usage, cost: rates.cost(of: usage), origin: row.origin)
    }
}
