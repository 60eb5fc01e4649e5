// Fuzz target: the API response decoders and the first code that reads what they decoded.
//
// Input: a response body; or, when the first byte is 0x01, `name: value` header lines up to the first 0x00,
// then the body. Every decoder the client runs on a response gets the body (a batch, a list page, a file,
// a deleted file, the three organisation reports, an error envelope for several statuses). A decoded batch
// must survive the store's JSON writer and JSONEncoder unchanged, and the pure code that reads batch
// figures (ETA, advisor projection, pricing, the dashboard's row) must not trap on any decoded value.
@_spi(Fuzzing) import BatchKit
import Dashboard
import Foundation
import FuzzSupport

let secretText = "sk-proj-FUZZSECRETFUZZSECRET"
let secret = Secret(secretText)
let now = Date(timeIntervalSince1970: 1_767_225_600)
let prices: PriceTable = {
    do { return try PriceTable.shippedDefault() } catch { fatalError("\(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var headers: [String: String] = [:]
    if bytes.first == 0x01 {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        for line in String(decoding: bytes[1..<end], as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            headers[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        bytes = Array(bytes[min(end + 1, bytes.count)...])
    }
    let body = Data(bytes)
    let decoder = JSONDecoder()

    if let batch = try? decoder.decode(Batch.self, from: body) { checkBatch(batch) }
    if let (page, skipped) = try? DecoderEntryPoints.batchPage(body) {
        fuzzCheck(skipped >= 0, "negative skipped count")
        for batch in page.data { checkBatch(batch) }
    }
    if let file = try? decoder.decode(FileObject.self, from: body) {
        let again = try? decoder.decode(FileObject.self, from: JSONEncoder().encode(file))
        fuzzCheck(again == file, "a file object does not survive JSONEncoder: \(file)")
    }
    _ = try? DecoderEntryPoints.fileDeleted(body)
    if let page = try? DecoderEntryPoints.usageReportPage(body) {
        for r in page.results { _ = prices.price(r.usage, model: r.model ?? "", lane: r.batch == true ? .batch : .realtime) }
    }
    if let page = try? DecoderEntryPoints.costReportPage(body) {
        for r in page.results { _ = r.amount.value }
    }
    _ = try? DecoderEntryPoints.rateLimitPage(body)
    checkError(body, headers: headers)
    return 0
}

func checkBatch(_ batch: Batch) {
    // The store writes every polled batch with BatchJSONWriter; its documented contract is an exact round trip.
    let stored = DecoderEntryPoints.storedBatchJSON(batch)
    fuzzCheck(ReferenceJSON.parse(Array(stored.utf8)) != nil, "the store wrote invalid JSON: \(stored)")
    let reread = try? JSONDecoder().decode(Batch.self, from: Data(stored.utf8))
    fuzzCheck(reread == batch, "the stored JSON reads back different:\n\(batch)\n\(String(describing: reread))\n\(stored)")
    let metadataJSON = DecoderEntryPoints.storedMetadataJSON(batch.metadata)
    fuzzCheck(DecoderEntryPoints.flatJSONObject(metadataJSON) == batch.metadata, "stored metadata reads back different: \(metadataJSON)")
    if let encoded = try? JSONEncoder().encode(batch) {
        let again = try? JSONDecoder().decode(Batch.self, from: encoded)
        fuzzCheck(again == batch, "a batch does not survive JSONEncoder: \(batch)")
    }

    // The pure readers of batch figures, at a fixed now and around the batch's own times.
    let job = Job(batch: batch, firstSeenAt: 0, lastPolledAt: 0)
    let row = JobRow(job: job, costSoFar: prices.price(batch: batch)?.cost?.total)
    _ = batch.requestCounts.pending
    for t in [Int64(1_767_225_600), batch.createdAt, batch.inProgressAt ?? 0, batch.expiresAt ?? 0] {
        _ = JobETA.estimate(job, now: t)
        _ = Advisor.projectedFinish(job, now: t)
        _ = row.eta(now: t)
        _ = row.timeToExpiry(now: t)
    }
}

func checkError(_ body: Data, headers: [String: String]) {
    // One status per input (the classification differs by status, the body and header parsing does not).
    let statuses = [400, 401, 404, 409, 429, 500, 503]
    do {
        let status = statuses[body.count % statuses.count]
        let error = DecoderEntryPoints.apiError(status: status, headers: headers, body: body, now: now, secrets: [secret])
        let text = "\(error) \(error.message) \(error.param ?? "") \(error.code ?? "") \(error.type ?? "")"
        fuzzCheck(!text.contains(secretText), "the API key is echoed in an error: \(text)")
        _ = RetryPolicy().decide(error, retriesSoFar: 0)
        let policy = SyncPolicy(jitter: { 0.5 })
        let delay = policy.backoff(consecutiveFailures: 1, error: error)
        fuzzCheck(delay.isFinite && delay >= 0 && delay <= 600, "sync backoff \(delay) s after \(error)")
        _ = policy.leaseTTL(nextDelay: delay)
    }
}

@main enum FuzzMain {
    static func main() { runLibFuzzer { data, size in fuzz(data ?? emptyFuzzInput, size) } }
}
