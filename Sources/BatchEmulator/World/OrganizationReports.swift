import Foundation

/// A parsed `GET /v1/organization/usage/*` or `/costs` query.
struct ReportQuery: Sendable {
    var start: Int64
    var end: Int64?
    var width: Int64
    var groupBy: [String]
    var projectIDs: [String]
    var models: [String]
    var apiKeyIDs: [String]
    var lineItems: [String] = []
    var batch: Bool?
    var limit: Int
    var page: Int64?

    /// The bucket starts this page covers and whether more follow.
    func buckets(now: Int64) -> (starts: [Int64], next: Int64?) {
        let first = start - ((start % width) + width) % width
        let stop = end ?? (now + 1)
        var cursor = max(first, page ?? first)
        var starts: [Int64] = []
        while cursor < stop, starts.count < limit {
            starts.append(cursor)
            cursor += width
        }
        return (starts, cursor < stop ? cursor : nil)
    }

    static func pageToken(_ start: Int64) -> String { "page_" + Data(String(start).utf8).base64EncodedString() }

    static func parsePageToken(_ token: String) -> Int64? {
        guard token.hasPrefix("page_"), let data = Data(base64Encoded: String(token.dropFirst(5))),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return Int64(text)
    }
}

extension EmulatorWorld {
    /// `GET /v1/organization/usage/{completions|embeddings}`: token buckets from the ledger, both lanes.
    func usageReport(kind: UsageKind, query: ReportQuery) -> JSON {
        let (starts, next) = query.buckets(now: now)
        var buckets: [JSON] = []
        for bucketStart in starts {
            let bucketEnd = bucketStart + query.width
            var groups: [String: (key: UsageKey, counts: TokenCounts)] = [:]
            for (key, counts) in ledger.entries where key.kind == kind && key.minute >= bucketStart && key.minute < bucketEnd {
                if !query.projectIDs.isEmpty, !query.projectIDs.contains(key.projectID) { continue }
                if !query.models.isEmpty, !query.models.contains(key.model) { continue }
                if !query.apiKeyIDs.isEmpty, !query.apiKeyIDs.contains(key.apiKeyID) { continue }
                if let batch = query.batch, key.batch != batch { continue }
                let groupKey = query.groupBy.map { Self.dimension($0, of: key) }.joined(separator: "\u{1F}")
                var entry = groups[groupKey] ?? (key, TokenCounts())
                entry.counts += counts
                groups[groupKey] = entry
            }
            let results: [JSON] = groups.keys.sorted().map { groupKey in
                let (key, counts) = groups[groupKey]!
                return kind == .completions ? completionsResult(counts, key: key, groupBy: query.groupBy)
                                            : embeddingsResult(counts, key: key, groupBy: query.groupBy)
            }
            buckets.append(.object([("object", .string("bucket")), ("start_time", .int(bucketStart)),
                                    ("end_time", .int(bucketEnd)), ("results", .array(results))]))
        }
        return Self.page(buckets, next: next)
    }

    private static func dimension(_ name: String, of key: UsageKey) -> String {
        switch name {
        case "project_id": return key.projectID
        case "api_key_id": return key.apiKeyID
        case "model": return key.model
        case "batch": return key.batch ? "1" : "0"
        case "service_tier": return key.serviceTier
        case "api_source": return "unlabeled"
        default: return ""
        }
    }

    private func grouped(_ name: String, _ groupBy: [String], _ value: JSON) -> JSON { groupBy.contains(name) ? value : .null }

    private func completionsResult(_ c: TokenCounts, key: UsageKey, groupBy: [String]) -> JSON {
        .object([
            ("object", .string("organization.usage.completions.result")),
            ("input_tokens", .int(c.input)), ("input_cached_tokens", .int(c.cached)),
            ("input_cache_write_tokens", .int(0)), ("input_uncached_tokens", .int(c.input - c.cached)),
            ("output_tokens", .int(c.output)),
            ("input_text_tokens", .int(c.input)), ("output_text_tokens", .int(c.output)),
            ("input_cached_text_tokens", .int(c.cached)),
            ("input_audio_tokens", .int(0)), ("input_cached_audio_tokens", .int(0)), ("output_audio_tokens", .int(0)),
            ("input_image_tokens", .int(0)), ("input_cached_image_tokens", .int(0)), ("output_image_tokens", .int(0)),
            ("num_model_requests", .int(c.requests)),
            ("project_id", grouped("project_id", groupBy, .string(key.projectID))),
            ("user_id", .null),
            ("api_key_id", grouped("api_key_id", groupBy, .string(key.apiKeyID))),
            ("model", grouped("model", groupBy, .string(key.model))),
            ("batch", grouped("batch", groupBy, .bool(key.batch))),
            ("service_tier", grouped("service_tier", groupBy, .string(key.serviceTier))),
        ])
    }

    private func embeddingsResult(_ c: TokenCounts, key: UsageKey, groupBy: [String]) -> JSON {
        .object([
            ("object", .string("organization.usage.embeddings.result")),
            ("input_tokens", .int(c.input)), ("num_model_requests", .int(c.requests)),
            ("project_id", grouped("project_id", groupBy, .string(key.projectID))),
            ("user_id", .null),
            ("api_key_id", grouped("api_key_id", groupBy, .string(key.apiKeyID))),
            ("model", grouped("model", groupBy, .string(key.model))),
        ])
    }

    /// `GET /v1/organization/costs`: daily amounts priced as `PriceTable` documents.
    func costsReport(query: ReportQuery) -> JSON {
        let (starts, next) = query.buckets(now: now)
        var buckets: [JSON] = []
        for bucketStart in starts {
            let bucketEnd = bucketStart + query.width
            // Tokens per (project, line item) for the day, then priced once, rounded half up.
            var tokens: [String: (project: String, item: String, rate: Int64, tokens: Int64)] = [:]
            for (key, counts) in ledger.entries where key.minute >= bucketStart && key.minute < bucketEnd {
                if !query.projectIDs.isEmpty, !query.projectIDs.contains(key.projectID) { continue }
                if !query.apiKeyIDs.isEmpty, !query.apiKeyIDs.contains(key.apiKeyID) { continue }
                let classes: [(PriceTable.TokenClass, Int64)] = [
                    (.input, counts.input - counts.cached), (.cachedInput, counts.cached), (.output, counts.output),
                ]
                for (tokenClass, amount) in classes where amount > 0 {
                    let item = PriceTable.lineItem(model: key.model, tokenClass: tokenClass, batch: key.batch)
                    if !query.lineItems.isEmpty, !query.lineItems.contains(item) { continue }
                    let rate = prices.rate(model: key.model, tokenClass: tokenClass, batch: key.batch)
                    let slot = key.projectID + "\u{1F}" + item
                    var entry = tokens[slot] ?? (key.projectID, item, rate, 0)
                    entry.tokens += amount
                    tokens[slot] = entry
                }
            }
            var groups: [String: (project: String, item: String, micros: Int64, tokens: Int64)] = [:]
            for entry in tokens.values {
                let micros = PriceTable.cost(tokens: entry.tokens, rate: entry.rate)
                let project = query.groupBy.contains("project_id") ? entry.project : ""
                let item = query.groupBy.contains("line_item") ? entry.item : ""
                let slot = project + "\u{1F}" + item
                var group = groups[slot] ?? (project, item, 0, 0)
                group.micros += micros
                group.tokens += entry.tokens
                groups[slot] = group
            }
            let results: [JSON] = groups.keys.sorted().map { slot in
                let group = groups[slot]!
                let byItem = query.groupBy.contains("line_item")
                return .object([
                    ("object", .string("organization.costs.result")),
                    ("amount", .object([("value", JSON.decimal(micros: group.micros)), ("currency", .string("usd"))])),
                    ("line_item", byItem ? .string(group.item) : .null),
                    ("project_id", query.groupBy.contains("project_id") ? .string(group.project) : .null),
                    ("api_key_id", .null),
                    ("quantity", byItem ? .int(group.tokens) : .null),
                    ("quantity_unit", byItem ? .string("tokens") : .null),
                ])
            }
            buckets.append(.object([("object", .string("bucket")), ("start_time", .int(bucketStart)),
                                    ("end_time", .int(bucketEnd)), ("results", .array(results))]))
        }
        return Self.page(buckets, next: next)
    }

    private static func page(_ buckets: [JSON], next: Int64?) -> JSON {
        .object([("object", .string("page")), ("data", .array(buckets)), ("has_more", .bool(next != nil)),
                 ("next_page", .string(next.map(ReportQuery.pageToken)))])
    }

    /// `GET /v1/organization/projects/{id}/rate_limits`.
    func rateLimits(limit: Int, after: String?) -> JSON {
        var items: [(String, JSON)] = ModelCatalog.rateLimitedModels.map { model in
            let id = "rl-\(model)"
            let embedding = model.hasPrefix("text-embedding")
            return (id, .object([
                ("object", .string("project.rate_limit")), ("id", .string(id)), ("model", .string(model)),
                ("max_requests_per_1_minute", .int(embedding ? 3_000 : 10_000)),
                ("max_tokens_per_1_minute", .int(embedding ? 1_000_000 : 10_000_000)),
                ("max_requests_per_1_day", .int(embedding ? 200_000 : 14_400)),
                ("batch_1_day_max_input_tokens", .int(config.tokenLimit(for: model))),
            ]))
        }
        if let after, let position = items.firstIndex(where: { $0.0 == after }) { items = Array(items[(position + 1)...]) }
        let page = Array(items.prefix(limit))
        return .object([("object", .string("list")), ("data", .array(page.map(\.1))),
                        ("first_id", .string(page.first?.0)), ("last_id", .string(page.last?.0)),
                        ("has_more", .bool(items.count > page.count))])
    }
}
