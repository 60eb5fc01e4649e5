import Foundation

/// `GET /batches` as sent on the wire, keeping the batches that decode and counting the rest.
struct BatchListWire: Decodable {
    var data: [Batch]
    var firstID: String?
    var lastID: String?
    var hasMore: Bool
    var skipped: Int

    enum CodingKeys: String, CodingKey {
        case data
        case firstID = "first_id"
        case lastID = "last_id"
        case hasMore = "has_more"
    }

    /// Decodes one element if it can, without failing the array.
    private struct Maybe: Decodable {
        var batch: Batch?
        init(from decoder: Decoder) throws { batch = try? Batch(from: decoder) }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let items = try c.decode([Maybe].self, forKey: .data)
        data = items.compactMap(\.batch)
        skipped = items.count - data.count
        firstID = try c.decodeIfPresent(String.self, forKey: .firstID)
        lastID = try c.decodeIfPresent(String.self, forKey: .lastID)
        // A missing has_more is read as "no more pages" rather than failing the whole list.
        hasMore = try c.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
    }

    /// The page the client returns.
    var page: BatchPage { BatchPage(data: data, firstID: firstID, lastID: lastID, hasMore: hasMore) }
}

/// `DELETE /files/{id}` as sent on the wire.
struct FileDeletedWire: Decodable {
    var id: String?
    var deleted: Bool?
}
