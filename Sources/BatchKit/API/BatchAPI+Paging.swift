import Foundation

extension BatchAPI {
    /// Lists batches newest first across pages (`after` = the last id of the previous page) until the
    /// provider says `has_more` is false, `maxPages` pages were read, or `stop` returns true for a batch.
    ///
    /// The batch that triggered `stop` is not included, nor anything after it.
    /// - Throws: `APIError` from any page; `APIError.decoding` when the provider claims more pages but
    ///   the cursor does not advance (which would otherwise loop forever).
    public func listAllBatches(
        pageSize: Int = 100, maxPages: Int = Int.max, stop: (Batch) -> Bool = { _ in false }
    ) async throws -> [Batch] {
        var all: [Batch] = []
        var after: String? = nil
        var pages = 0
        while pages < maxPages {
            let page = try await listBatches(after: after, limit: pageSize)
            pages += 1
            for batch in page.data {
                if stop(batch) { return all }
                all.append(batch)
            }
            guard page.hasMore else { break }
            guard let next = page.lastID ?? page.data.last?.id, next != after else {
                throw APIError(
                    kind: .decoding,
                    message: "the batch list says has_more but its cursor did not advance (after=\(after ?? "none"))",
                    method: "GET", path: "/batches")
            }
            after = next
        }
        return all
    }
}
