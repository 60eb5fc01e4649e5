// Fuzz target: the JSONL byte readers (input file validator, spend ingest, batch file lines, stored metadata).
//
// One input is a whole JSONL file. Each line goes through JSONLineScanner, the spend reader (UsageIngest,
// which runs OutputLineScanner) and FlatJSONObject, each checked against ReferenceJSON where their contracts
// overlap; the file goes through InputFileValidator (two buffer sizes that must agree), UsageIngest (from
// memory and streamed from disk in 16-byte chunks, which must agree) and BatchFileLines.
@_spi(Fuzzing) import BatchKit
import Foundation
import FuzzSupport

let scratch = fuzzScratchDirectory()
let inputPath = scratch + "/input.jsonl"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for line in lines(of: bytes) {
        checkRequestLine(line)
        checkOutputLine(line)
        checkFlatObject(line)
    }
    checkMetadataRoundTrip(bytes)
    checkFile(bytes)
    return 0
}

/// Lines as the validator cuts them: at `\n`, without a trailing `\r`; the last line may lack its `\n`.
func lines(of bytes: [UInt8]) -> [[UInt8]] {
    var out: [[UInt8]] = []
    for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) {
        if line.last == 0x0D { line.removeLast() }
        out.append(line)
    }
    if bytes.last == 0x0A { out.removeLast() }
    return out
}

// MARK: - JSONLineScanner (request lines)

func checkRequestLine(_ line: [UInt8]) {
    let scanned = JSONLineScanner().scan(line)
    let reference = ReferenceJSON.parse(line).flatMap { $0.isObject ? $0 : nil }
    switch scanned {
    case .failure(let error):
        fuzzCheck(reference == nil, "JSONLineScanner rejects a JSON object the reference accepts: \(error.message) (column \(error.column))")
        fuzzCheck(error.column >= 1 && error.column <= line.count + 1, "error column \(error.column) outside a \(line.count)-byte line")
    case .success(let request):
        guard let object = reference else {
            fuzzCheck(false, "JSONLineScanner accepts a line the reference rejects")
            return
        }
        compare(request, object, line)
    }
}

func compare(_ request: ScannedRequest, _ object: JSONValue, _ line: [UInt8]) {
    let topKeys = ["custom_id", "method", "url", "body"]
    var expectDuplicate = topKeys.contains { object.count(of: $0) > 1 }
    if object.count(of: "body") == 1, let body = object["body"], body.count(of: "model") > 1 { expectDuplicate = true }
    fuzzCheck((request.duplicateKey != nil) == expectDuplicate,
              "duplicateKey \(request.duplicateKey ?? "nil"), reference says duplicates: \(expectDuplicate)")
    guard request.duplicateKey == nil else { return }
    line.withUnsafeBufferPointer { buffer in
        fuzzCheck(same(request.customID, object["custom_id"], buffer), "custom_id differs from the reference")
        fuzzCheck(same(request.method, object["method"], buffer), "method differs from the reference")
        fuzzCheck(same(request.url, object["url"], buffer), "url differs from the reference")
        switch (request.body, object["body"]) {
        case (.absent, nil): break
        case (.object(let start, let end), .some(let body)) where body.isObject:
            guard case .object(_, let range) = body else { return }
            fuzzCheck(start == range.lowerBound && end == range.upperBound,
                      "body spans \(start)..<\(end), the reference says \(range)")
            fuzzCheck(same(request.model, body["model"], buffer), "body.model differs from the reference")
            fuzzCheck(request.embeddingInputs == expectedInputs(body["input"]),
                      "embeddingInputs \(request.embeddingInputs), expected \(expectedInputs(body["input"]))")
        case (.other(let kind), .some(let body)):
            fuzzCheck(kind == jsonKind(body), "body kind \(kind), the reference has \(body)")
        default:
            fuzzCheck(false, "body \(request.body) differs from the reference")
        }
    }
}

func same(_ field: ScannedField, _ value: JSONValue?, _ line: UnsafeBufferPointer<UInt8>) -> Bool {
    switch (field, value) {
    case (.absent, nil): return true
    case (.string(let slice), .string(let s)?): return JSONLineScanner.value(slice, in: line) == s
    case (.other(let k), let v?): return k == jsonKind(v)
    default: return false
    }
}

func jsonKind(_ value: JSONValue) -> JSONKind {
    switch value {
    case .object: return .object
    case .array: return .array
    case .string: return .string
    case .number: return .number
    case .bool: return .boolean
    case .null: return .null
    }
}

/// ScannedRequest's documented count: 1 for a string, the strings/arrays/objects of an array, else 1 for an
/// array of scalars (token ids), 0 for an empty array or anything else.
func expectedInputs(_ input: JSONValue?) -> Int {
    switch input {
    case .string?: return 1
    case .array(let items, _)?:
        let nested = items.filter { if case .string = $0 { return true }; return $0.isArray || $0.isObject }.count
        return nested > 0 ? nested : (items.isEmpty ? 0 : 1)
    default: return 0
    }
}

// MARK: - OutputLineScanner through UsageIngest (output and error lines)

struct Unreadable: Error {}

/// What the spend reader must make of a valid JSON line, per OutputLineScanner's documented rules, keys in
/// file order (a repeated key is read again, as the scanner does).
struct ExpectedOutput {
    var failedCode: String?
    var message: String?
    var model: String?
    var usage: TokenUsage?
    var shape: UsageShape?
}

func expectOutput(_ top: JSONValue) throws -> ExpectedOutput {
    guard case .object(let pairs, _) = top else { throw Unreadable() }
    var response: (status: Int64?, model: String?, usage: TokenUsage?, shape: UsageShape?, code: String?, message: String?)?
    var sawNull = false, errorPresent = false
    var errorCode: String?, errorMessage: String?
    for (key, value) in pairs {
        if key == "response" {
            switch value {
            case .object(let fields, _):
                var r: (status: Int64?, model: String?, usage: TokenUsage?, shape: UsageShape?, code: String?, message: String?)
                    = (nil, nil, nil, nil, nil, nil)
                for (k, v) in fields {
                    if k == "status_code" { r.status = try count(v) }
                    else if k == "body", case .object(let bodyFields, _) = v {
                        for (bk, bv) in bodyFields {
                            if bk == "model", case .string(let s) = bv { r.model = s }
                            else if bk == "usage", bv.isObject { (r.usage, r.shape) = try usage(bv) }
                            else if bk == "error", bv.isObject { (r.code, r.message) = errorObject(bv) }
                        }
                    }
                }
                response = r
            case .null: sawNull = true
            default: throw Unreadable()
            }
        } else if key == "error" {
            switch value {
            case .null: break
            case .object: errorPresent = true; (errorCode, errorMessage) = errorObject(value)
            default: errorPresent = true
            }
        }
    }
    var out = ExpectedOutput(model: response?.model, usage: response?.usage, shape: response?.shape)
    if errorPresent {
        out.failedCode = errorCode ?? "unknown_error"
        out.message = errorMessage
    } else if let response {
        if let status = response.status, status >= 400 {
            out.failedCode = response.code ?? "http_\(status)"
            out.message = response.message
        }
    } else {
        out.failedCode = sawNull ? "no_response" : "missing_response"
    }
    return out
}

/// A token count: null, or a non-negative integer of at most 18 digits; anything else makes the line unreadable.
func count(_ value: JSONValue) throws -> Int64? {
    switch value {
    case .null: return nil
    case .number(let text):
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), text.utf8.count <= 18, let n = Int64(text) else { throw Unreadable() }
        return n
    default: throw Unreadable()
    }
}

func usage(_ value: JSONValue) throws -> (TokenUsage?, UsageShape?) {
    guard case .object(let pairs, _) = value else { return (nil, nil) }
    var prompt: Int64?, completion: Int64?, input: Int64?, output: Int64?
    var promptCached: Int64?, completionReasoning: Int64?, inputCached: Int64?, outputReasoning: Int64?
    var sawCompletionDetails = false
    func details(_ v: JSONValue, _ wanted: String) throws -> Int64? {
        guard case .object(let fields, _) = v else { return nil }
        var result: Int64?
        for (k, x) in fields where k == wanted { result = try count(x) }
        return result
    }
    for (k, v) in pairs {
        switch k {
        case "prompt_tokens": prompt = try count(v)
        case "completion_tokens": completion = try count(v)
        case "input_tokens": input = try count(v)
        case "output_tokens": output = try count(v)
        case "prompt_tokens_details": promptCached = try details(v, "cached_tokens")
        case "completion_tokens_details": sawCompletionDetails = true; completionReasoning = try details(v, "reasoning_tokens")
        case "input_tokens_details": inputCached = try details(v, "cached_tokens")
        case "output_tokens_details": outputReasoning = try details(v, "reasoning_tokens")
        default: break
        }
    }
    if let input {
        return (TokenUsage(inputTokens: input, cachedInputTokens: inputCached ?? 0, outputTokens: output ?? 0, reasoningTokens: outputReasoning ?? 0), .responses)
    }
    if let prompt {
        return (TokenUsage(inputTokens: prompt, cachedInputTokens: promptCached ?? 0, outputTokens: completion ?? 0, reasoningTokens: completionReasoning ?? 0),
                completion != nil || sawCompletionDetails ? .chatCompletions : .embeddings)
    }
    return (nil, nil)
}

func errorObject(_ value: JSONValue) -> (String?, String?) {
    guard case .object(let pairs, _) = value else { return (nil, nil) }
    var code: String?, type: String?, message: String?
    for (k, v) in pairs {
        guard case .string(let s) = v else { continue }
        if k == "code" { code = s } else if k == "type" { type = s } else if k == "message" { message = s }
    }
    return (code ?? type, message)
}

func checkOutputLine(_ line: [UInt8]) {
    var ingest = UsageIngest()
    line.withUnsafeBytes { ingest.consume(line: $0) }
    let report = ingest.report
    fuzzCheck(report.lines <= 1 && report.unreadable <= report.lines && report.succeeded + report.failed + report.unreadable == report.lines,
              "one line gave an inconsistent report \(report)")
    // A byte-order mark may start any line for the spend reader; the reference reads what follows it.
    let body = line.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(line.dropFirst(3)) : line
    guard let reference = ReferenceJSON.parse(body) else { return }
    fuzzCheck(report.lines == 1, "a valid JSON line was taken for a blank line")
    guard let expected = try? expectOutput(reference) else {
        fuzzCheck(report.unreadable == 1, "the spend reader read a line its rules make unreadable: \(report)")
        return
    }
    fuzzCheck(report.unreadable == 0, "the spend reader could not read a valid line: \(report.unreadableSamples)")
    if let code = expected.failedCode {
        fuzzCheck(report.failed == 1 && report.failuresByCode == [code: 1], "expected failure \(code), got \(report.failuresByCode) succeeded=\(report.succeeded)")
        let example = expected.message.map { String($0.prefix(300)) }
        fuzzCheck(report.failureExamples[code] == example, "failure message \(String(describing: report.failureExamples[code])), expected \(String(describing: example))")
    } else {
        fuzzCheck(report.succeeded == 1, "expected success, got \(report.failuresByCode)")
        fuzzCheck(report.succeededWithoutUsage == (expected.usage == nil ? 1 : 0), "succeededWithoutUsage \(report.succeededWithoutUsage)")
    }
    if let usage = expected.usage {
        let model = expected.model ?? UsageIngestReport.unknownModel
        fuzzCheck(report.usageByModel == [model: ModelUsage(usage: usage, requests: 1)],
                  "usage \(report.usageByModel), expected \(model): \(usage)")
    } else {
        fuzzCheck(report.usageByModel.isEmpty, "usage \(report.usageByModel), expected none")
    }
    fuzzCheck(report.shapes == (expected.shape.map { [$0: 1] } ?? [:]), "shapes \(report.shapes), expected \(String(describing: expected.shape))")
}

// MARK: - FlatJSONObject (stored metadata)

func checkFlatObject(_ line: [UInt8]) {
    let text = String(decoding: line, as: UTF8.self)
    guard let flat = DecoderEntryPoints.flatJSONObject(text) else { return }
    // Where the fast parser answers and the text is valid JSON, it must answer what a JSON parser does (last key wins).
    guard case .object(let pairs, _)? = ReferenceJSON.parse(Array(text.utf8)) else { return }
    var expected: [String: String] = [:]
    for (k, v) in pairs {
        guard case .string(let s) = v else {
            fuzzCheck(false, "FlatJSONObject read a non-string value as a string: \(v)")
            return
        }
        expected[k] = s
    }
    fuzzCheck(flat == expected, "FlatJSONObject read \(flat), a JSON parser reads \(expected)")
}

/// Stored metadata must read back exactly: any strings (from the line's JSON, or the raw bytes cut at 0x1F).
func checkMetadataRoundTrip(_ bytes: [UInt8]) {
    var dicts: [[String: String]] = []
    let parts = bytes.split(separator: 0x1F, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    var raw: [String: String] = [:]
    for k in stride(from: 0, to: parts.count, by: 2) { raw[parts[k]] = k + 1 < parts.count ? parts[k + 1] : "" }
    dicts.append(raw)
    if case .object(let pairs, _)? = ReferenceJSON.parse(bytes) {
        var d: [String: String] = [:]
        for (k, v) in pairs { if case .string(let s) = v { d[k] = s } }
        dicts.append(d)
    }
    for metadata in dicts {
        let json = DecoderEntryPoints.storedMetadataJSON(metadata)
        let fast = DecoderEntryPoints.flatJSONObject(json)
        fuzzCheck(fast == metadata, "stored metadata \(metadata) reads back as \(String(describing: fast)) from \(json)")
        // And any JSON parser must read the same (the reference stands in for the store's JSONDecoder fallback).
        var parsed: [String: String]?
        if case .object(let pairs, _)? = ReferenceJSON.parse(Array(json.utf8)) {
            parsed = [:]
            for (k, v) in pairs { parsed?[k] = v.stringValue }
        }
        fuzzCheck(parsed == metadata, "stored metadata \(metadata) parses as \(String(describing: parsed)) from \(json)")
    }
}

// MARK: - Whole files

func checkFile(_ bytes: [UInt8]) {
    guard bytes.withUnsafeBufferPointer({ fuzzWriteFile(inputPath, $0) }) else { fatalError("cannot write \(inputPath)") }
    let read: (lines: [BatchFileLine], skipped: Int)
    do {
        read = try BatchFileLines.read(URL(fileURLWithPath: inputPath))
    } catch {
        fatalError("BatchFileLines: \(error)")
    }
    for line in read.lines { _ = BatchFileLines.outcome(line) }
    checkValidator(bytes, read)
    checkIngest(bytes)
}

func checkValidator(_ bytes: [UInt8], _ read: (lines: [BatchFileLine], skipped: Int)) {
    func run(_ validator: InputFileValidator) -> InputFileSummary {
        do {
            var s = try validator.validate(path: inputPath)
            s.modifiedAtNanos = 0
            return s
        } catch {
            fatalError("validate: \(error)")
        }
    }
    // The read buffer's size must not change the verdict: 64 bytes forces every line across reads.
    let small = run(InputFileValidator(maxLineBytes: 1024, readSize: 64))
    let large = run(InputFileValidator(maxLineBytes: 1024, readSize: 1024))
    fuzzCheck(small == large, "validator verdict depends on the read size:\n\(small)\n\(large)")
    // Production's line limit (32 MiB) with a read buffer sized for fuzz inputs (the default 4 MiB buffer
    // would dominate the run time under ASan).
    let unlimited = run(InputFileValidator(readSize: 8192))
    // A limit no line exceeds (a line of exactly the limit is within it) must not change the verdict.
    let atLimit = run(InputFileValidator(maxLineBytes: max(1024, longestLine(bytes)), readSize: 64))
    fuzzCheck(unlimited == atLimit, "validator verdict depends on a line limit no line exceeds:\n\(unlimited)\n\(atLimit)")

    let s = unlimited
    let index = s.index
    fuzzCheck(index.count == s.requests, "index has \(index.count) entries for \(s.requests) requests")
    for k in 0..<index.count {
        let end = index.offsets[k] + Int64(index.lengths[k])
        fuzzCheck(index.offsets[k] >= 0 && end <= Int64(bytes.count), "index entry \(k) ends at \(end) past the file (\(bytes.count) bytes)")
    }
    guard s.isValid else { return }
    // A valid file's index is what the chunker copies: each entry must be one whole request line.
    var ids: [String] = []
    for k in 0..<index.count {
        let line = Array(bytes[Int(index.offsets[k])..<Int(index.offsets[k] + Int64(index.lengths[k]))])
        fuzzCheck(!line.contains(0x0A) && line.last != 0x0D, "index entry \(k) holds a line terminator")
        guard case .success(let r) = JSONLineScanner().scan(line), case .string(let slice) = r.customID else {
            fuzzCheck(false, "index entry \(k) of a valid file is not a request line")
            return
        }
        ids.append(line.withUnsafeBufferPointer { JSONLineScanner.value(slice, in: $0) })
    }
    fuzzCheck(Set(ids).count == ids.count, "a valid file repeats a custom_id: \(ids)")
    // Results and resubmit read the same file by custom_id; they must see the same requests.
    fuzzCheck(read.skipped == 0 && read.lines.map(\.customID) == ids,
              "BatchFileLines reads \(read.lines.map(\.customID)) (skipped \(read.skipped)), the validator indexed \(ids)")
}

/// The longest line as the streaming readers buffer it: up to its `\n`, a `\r` included.
func longestLine(_ bytes: [UInt8]) -> Int {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(\.count).max() ?? 0
}

func checkIngest(_ bytes: [UInt8]) {
    let fromMemory = UsageIngest.read(bytes: bytes)
    let streamed: UsageIngestReport
    do {
        streamed = try UsageIngest.read(fileAt: inputPath, chunkBytes: 16, maxLineBytes: 1 << 20)
    } catch {
        fatalError("ingest: \(error)")
    }
    fuzzCheck(fromMemory == streamed, "spend read from memory and streamed in 16-byte chunks differ:\n\(fromMemory)\n\(streamed)")
    // A limit no line exceeds must not change the report either.
    if let atLimit = try? UsageIngest.read(fileAt: inputPath, chunkBytes: 16, maxLineBytes: max(16, longestLine(bytes))) {
        fuzzCheck(atLimit == fromMemory, "spend read with a line limit no line exceeds differs:\n\(fromMemory)\n\(atLimit)")
    }
    // A line limit below the line lengths: oversized lines are counted, never buffered, never a crash.
    if let limited = try? UsageIngest.read(fileAt: inputPath, chunkBytes: 16, maxLineBytes: 64) {
        fuzzCheck(limited.oversized <= limited.unreadable && limited.lines >= limited.oversized, "inconsistent oversized counts \(limited)")
    }
}

@main enum FuzzMain {
    static func main() { runLibFuzzer { data, size in fuzz(data ?? emptyFuzzInput, size) } }
}
