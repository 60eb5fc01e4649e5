import FlyingFox
import Foundation

extension EmulatorHandler {
    private static let usageGroups = ["project_id", "user_id", "api_key_id", "model", "batch", "service_tier", "api_source"]
    private static let embeddingGroups = ["project_id", "user_id", "api_key_id", "model"]
    private static let costGroups = ["project_id", "user_id", "line_item", "api_key_id", "api_source"]

    static func reportQuery(_ request: HTTPRequest, widths: [String: (seconds: Int64, limit: Int, max: Int)],
                            groups: [String]) throws(APIError) -> ReportQuery {
        guard let startText = query(request, "start_time") else { throw APIError.missing("start_time") }
        guard let start = Int64(startText), start >= 0 else {
            throw APIError.invalid("Invalid 'start_time': expected unix seconds, got '\(startText)'.", param: "start_time", code: "invalid_value")
        }
        var end: Int64?
        if let text = query(request, "end_time") {
            guard let value = Int64(text), value > start else {
                throw APIError.invalid("Invalid 'end_time': expected unix seconds after start_time, got '\(text)'.", param: "end_time", code: "invalid_value")
            }
            end = value
        }
        let widthName = query(request, "bucket_width") ?? "1d"
        guard let width = widths[widthName] else {
            throw APIError.invalid("Invalid value for 'bucket_width': '\(widthName)'. Supported values are: \(widths.keys.sorted().joined(separator: ", ")).",
                                   param: "bucket_width", code: "invalid_value")
        }
        let groupBy = queryArray(request, "group_by")
        for group in groupBy where !groups.contains(group) {
            throw APIError.invalid("Invalid value for 'group_by': '\(group)'. Supported values are: \(groups.joined(separator: ", ")).",
                                   param: "group_by", code: "invalid_value")
        }
        let limit = try intQuery(request, "limit", default: width.limit, range: 1...width.max)
        var page: Int64?
        if let token = query(request, "page") {
            guard let value = ReportQuery.parsePageToken(token) else {
                throw APIError.invalid("Invalid 'page' cursor: '\(token)'.", param: "page", code: "invalid_value")
            }
            page = value
        }
        var batch: Bool?
        if let text = query(request, "batch") {
            guard text == "true" || text == "false" else {
                throw APIError.invalid("Invalid 'batch': expected true or false.", param: "batch", code: "invalid_value")
            }
            batch = text == "true"
        }
        return ReportQuery(start: start, end: end, width: width.seconds, groupBy: groupBy,
                           projectIDs: queryArray(request, "project_ids"), models: queryArray(request, "models"),
                           apiKeyIDs: queryArray(request, "api_key_ids"), lineItems: queryArray(request, "line_items"),
                           batch: batch, limit: limit, page: page)
    }

    func usage(_ kind: UsageKind, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let query = try Self.reportQuery(request, widths: [
            "1m": (60, 60, 1440), "1h": (3600, 24, 168), "1d": (86_400, 7, 31),
        ], groups: kind == .completions ? Self.usageGroups : Self.embeddingGroups)
        return Self.json(try engine.withWorld { $0.usageReport(kind: kind, query: query) })
    }

    func costs(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        let query = try Self.reportQuery(request, widths: ["1d": (86_400, 7, 180)], groups: Self.costGroups)
        return Self.json(try engine.withWorld { $0.costsReport(query: query) })
    }

    func rateLimits(_ projectID: String, _ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard projectID == engine.config.projectID else {
            throw APIError.notFound("No project found with id '\(projectID)'.", param: "project_id")
        }
        let limit = try Self.intQuery(request, "limit", default: 100, range: 1...100)
        let after = Self.query(request, "after")
        return Self.json(try engine.withWorld { $0.rateLimits(limit: limit, after: after) })
    }
}
