import Foundation

/// The organisation usage and costs endpoints on the same transport and retries as the Batch API.
///
/// Use a client built with the admin key (`BatchtopConfig.adminClientOptions()`): the project key is refused.
extension OpenAIClient: OrganizationReportsAPI {
    /// The most pages read for one report, a guard against a provider that loops its cursor.
    static let maxReportPages = 1_000

    public func completionsUsage(start: Int64, end: Int64?) async throws -> [OrganizationUsageResult] {
        try await completionsUsage(start: start, end: end, pageLimit: 31, arrayEncoding: .brackets)
    }

    /// `GET /organization/usage/completions?bucket_width=1d&group_by[]=batch&group_by[]=model`, all pages.
    public func completionsUsage(start: Int64, end: Int64?, pageLimit: Int, arrayEncoding: QueryArrayEncoding) async throws
        -> [OrganizationUsageResult]
    {
        let query = Self.reportQuery(start: start, end: end, limit: pageLimit, groupBy: ["batch", "model"], encoding: arrayEncoding)
        let buckets: [(Int64, UsageResultWire)] = try await allPages("/organization/usage/completions", query: query)
        return buckets.map { start, r in r.result(startTime: start) }
    }

    public func dailyCosts(start: Int64, end: Int64?) async throws -> [OrganizationCostResult] {
        try await dailyCosts(start: start, end: end, pageLimit: 180, arrayEncoding: .brackets)
    }

    /// `GET /organization/costs?bucket_width=1d&group_by[]=line_item`, all pages.
    public func dailyCosts(start: Int64, end: Int64?, pageLimit: Int, arrayEncoding: QueryArrayEncoding) async throws
        -> [OrganizationCostResult]
    {
        let query = Self.reportQuery(start: start, end: end, limit: pageLimit, groupBy: ["line_item"], encoding: arrayEncoding)
        let buckets: [(Int64, CostResultWire)] = try await allPages("/organization/costs", query: query)
        return buckets.map { start, r in r.result(startTime: start) }
    }

    static func reportQuery(start: Int64, end: Int64?, limit: Int, groupBy: [String], encoding: QueryArrayEncoding) -> [URLQueryItem] {
        var query = [URLQueryItem(name: "start_time", value: String(start)), URLQueryItem(name: "bucket_width", value: "1d"),
                     URLQueryItem(name: "limit", value: String(max(1, limit)))]
        if let end { query.append(URLQueryItem(name: "end_time", value: String(end))) }
        let name = encoding == .brackets ? "group_by[]" : "group_by"
        query += groupBy.map { URLQueryItem(name: name, value: $0) }
        return query
    }

    /// Follows `next_page` until `has_more` is false; returns every result with its bucket start.
    private func allPages<R: Decodable & Sendable>(_ path: String, query: [URLQueryItem]) async throws -> [(Int64, R)] {
        var results: [(Int64, R)] = []
        var cursor: String?
        var seen = Set<String>()
        for _ in 0..<Self.maxReportPages {
            var q = query
            if let cursor { q.append(URLQueryItem(name: "page", value: cursor)) }
            let page: ReportPageWire<R> = try await json("GET", path, query: q)
            results += page.bucketResults
            guard page.has_more == true, let next = page.next_page, !next.isEmpty else { return results }
            guard seen.insert(next).inserted else {
                throw APIError(kind: .decoding, message: "the provider repeated page cursor \(next) for \(path); report it",
                               method: "GET", path: path)
            }
            cursor = next
        }
        throw APIError(kind: .decoding, message: "\(path) had more than \(Self.maxReportPages) pages; narrow the time range",
                       method: "GET", path: path)
    }
}
