import Foundation

/// The decoders of outside bytes that are not public API, opened to the fuzz targets (`Fuzz/`).
///
/// Rule: each entry point calls the function production calls, never a copy, why: a fuzz target that
/// exercises a look-alike proves nothing about the real path. Rule: they are `@_spi(Fuzzing)`, why: only
/// a module that writes `@_spi(Fuzzing) import BatchKit` sees them, so they do not widen the public API,
/// and the fuzz builds (release, no `-enable-testing`) need no `@testable import`.
@_spi(Fuzzing) public enum DecoderEntryPoints {
    /// A `GET /batches` body, decoded as `OpenAIClient.listBatches` decodes it.
    public static func batchPage(_ body: Data) throws -> (page: BatchPage, skipped: Int) {
        let wire = try JSONDecoder().decode(BatchListWire.self, from: body)
        return (wire.page, wire.skipped)
    }

    /// A `DELETE /files/{id}` body, decoded as `OpenAIClient.deleteFile` decodes it.
    public static func fileDeleted(_ body: Data) throws -> (id: String?, deleted: Bool?) {
        let wire = try JSONDecoder().decode(FileDeletedWire.self, from: body)
        return (wire.id, wire.deleted)
    }

    /// A non-2xx response, classified as the client classifies it (`APIError.fromResponse`).
    public static func apiError(status: Int, headers: [String: String], body: Data, now: Date, secrets: [Secret]) -> APIError {
        APIError.fromResponse(status: status, headers: headers, body: body, method: "GET", path: "/batches", now: now, secrets: secrets)
    }

    /// One page of `GET /organization/usage/completions`, as `OpenAIClient.completionsUsage` reads it.
    public static func usageReportPage(_ body: Data) throws -> (results: [OrganizationUsageResult], hasMore: Bool?, nextPage: String?) {
        let page = try JSONDecoder().decode(ReportPageWire<UsageResultWire>.self, from: body)
        return (page.bucketResults.map { start, r in r.result(startTime: start) }, page.has_more, page.next_page)
    }

    /// One page of `GET /organization/costs`, as `OpenAIClient.dailyCosts` reads it.
    public static func costReportPage(_ body: Data) throws -> (results: [OrganizationCostResult], hasMore: Bool?, nextPage: String?) {
        let page = try JSONDecoder().decode(ReportPageWire<CostResultWire>.self, from: body)
        return (page.bucketResults.map { start, r in r.result(startTime: start) }, page.has_more, page.next_page)
    }

    /// One page of `GET /organization/projects/{id}/rate_limits`, as `projectBatchTokenLimits` decodes it.
    public static func rateLimitPage(_ body: Data) throws -> (models: [(model: String?, batchTokens: Int64?)], hasMore: Bool?, lastID: String?) {
        let page = try JSONDecoder().decode(RateLimitPageWire.self, from: body)
        return (page.data.map { ($0.model, $0.batchTokens) }, page.hasMore, page.lastID)
    }

    /// A batch as the store writes it (`BatchJSONWriter`); it must decode back to an equal `Batch`.
    public static func storedBatchJSON(_ batch: Batch) -> String {
        BatchJSONWriter.encode(batch)
    }

    /// Batch metadata as the store writes it (`BatchJSONWriter.encodeMetadata`).
    public static func storedMetadataJSON(_ metadata: [String: String]) -> String {
        BatchJSONWriter.encodeMetadata(metadata)
    }

    /// The store's fast reader of stored metadata (`FlatJSONObject`); nil where the store falls back to `JSONDecoder`.
    public static func flatJSONObject(_ text: String) -> [String: String]? {
        FlatJSONObject.parse(text)
    }
}
