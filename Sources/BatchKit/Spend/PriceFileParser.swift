import TOMLKit

/// Reads the price file format (TOML) into rows; shared by the shipped table and user files.
enum PriceFileParser {
    /// A parsed price file before it is layered onto a table.
    struct Document {
        var taken: String?
        var batchCachedInputRule: BatchCachedInputRule?
        var models: [String: ModelPrice] = [:]
    }

    static let rateKeys: Set<String> = ["input", "cached_input", "output", "batch_input", "batch_cached_input", "batch_output"]

    static func parse(_ text: String, source: String) throws(PriceTableError) -> Document {
        let root: TOMLTable
        do throws(TOMLSyntaxError) {
            root = try TOMLText.parse(text)
        } catch {
            throw PriceTableError(code: .invalidTOML, source: source, key: "line \(error.line), column \(error.column)", message: "not valid TOML: \(error.message)")
        }
        var doc = Document()
        for key in root.keys.sorted() {
            guard let value = root[key] else { continue }
            switch key {
            case "taken":
                guard let s = value.string else { throw invalid(source, key, "must be a string such as \"2026-11\"") }
                doc.taken = s
            case "currency":
                guard value.string?.lowercased() == "usd" else { throw invalid(source, key, "only \"usd\" is supported") }
            case "batch_cached_input_rule":
                guard let s = value.string, let rule = BatchCachedInputRule(rawValue: s) else {
                    throw invalid(source, key, "must be one of \(BatchCachedInputRule.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                }
                doc.batchCachedInputRule = rule
            case "models":
                guard let models = value.table else { throw invalid(source, key, "must be a table of [models.\"name\"] sections") }
                for name in models.keys.sorted() {
                    guard let row = models[name]?.table else {
                        throw invalid(source, "models.\"\(name)\"", "must be a table of rates")
                    }
                    doc.models[name] = try parseRow(row, name: name, source: source)
                }
            default:
                throw PriceTableError(code: .unknownKey, source: source, key: key, message: "unknown key; expected taken, currency, batch_cached_input_rule or [models.\"name\"] sections")
            }
        }
        return doc
    }

    static func parseRow(_ row: TOMLTable, name: String, source: String) throws(PriceTableError) -> ModelPrice {
        var rates: [String: TokenRate] = [:]
        for key in row.keys {
            let path = "models.\"\(name)\".\(key)"
            guard let value = row[key] else { continue }
            if key == "note" { continue }
            guard rateKeys.contains(key) else {
                if value.table != nil {
                    throw PriceTableError(code: .unknownKey, source: source, key: path, message: "a model name containing a dot must be quoted: write [models.\"\(name).\(key)\"]")
                }
                throw PriceTableError(code: .unknownKey, source: source, key: path, message: "unknown rate; expected one of \(rateKeys.sorted().joined(separator: ", ")) (or note)")
            }
            let rate: TokenRate?
            if let i = value.int {
                rate = i >= 0 ? TokenRate(dollarsPerMillion: String(i)) : nil
            } else if let d = value.double {
                rate = TokenRate(dollarsPerMillion: d)
            } else if let s = value.string {
                rate = TokenRate(dollarsPerMillion: s)
            } else {
                rate = nil
            }
            guard let rate else {
                throw invalid(source, path, "must be a non-negative price in dollars per 1M tokens with at most 6 decimals, e.g. 0.125")
            }
            rates[key] = rate
        }
        let price = ModelPrice(
            input: rates["input"], cachedInput: rates["cached_input"], output: rates["output"],
            batchInput: rates["batch_input"], batchCachedInput: rates["batch_cached_input"],
            batchOutput: rates["batch_output"], origin: .userFile(path: source))
        return price
    }

    static func invalid(_ source: String, _ key: String, _ message: String) -> PriceTableError {
        PriceTableError(code: .invalidValue, source: source, key: key, message: message)
    }
}
