@testable import BatchEmulator
import Foundation
import Testing

@Suite("Building blocks")
struct UnitTests {
    @Test("multipart parsing gives the same parts however the body is chunked", arguments: [1, 2, 7, 64, 100_000])
    func multipartChunking(chunk: Int) throws {
        let boundary = "b0und"
        let file = Data((0..<3_000).map { UInt8($0 % 251) }) + Data("\r\n--b0un".utf8) + Data([0x0D, 0x0A])
        var body = Data("preamble\r\n--b0und\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n".utf8)
        body += Data("--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\"\r\n\r\n".utf8)
        body += file + Data("\r\n--b0und--\r\n".utf8)
        var parser = MultipartParser(boundary: boundary)
        var parts: [String: Data] = [:]
        var filenames: [String: String] = [:]
        var current = ""
        var offset = 0
        while offset < body.count {
            let slice = body[offset..<min(body.count, offset + chunk)]
            try parser.feed(Data(slice)) { event in
                switch event {
                case .partStart(let name, let filename): current = name; parts[name] = Data(); filenames[name] = filename
                case .partData(let data): parts[current]! += data
                case .partEnd: break
                }
            }
            offset += chunk
        }
        try parser.finish()
        #expect(parts["purpose"] == Data("batch".utf8))
        #expect(parts["file"] == file)
        #expect(filenames["file"] == "x.jsonl")
    }

    @Test("a multipart body without its closing boundary is refused")
    func multipartTruncated() throws {
        var parser = MultipartParser(boundary: "zz")
        try parser.feed(Data("--zz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".utf8)) { _ in }
        #expect(throws: MultipartParser.Malformed.self) { try parser.finish() }
        #expect(MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=\"q\"") == "q")
        #expect(MultipartParser.boundary(fromContentType: "application/json") == nil)
    }

    @Test("JSON escapes strings and writes exact decimals")
    func json() {
        #expect(JSON.object([("a", .string("q\"\\\n\u{1}é"))]).encoded() == #"{"a":"q\"\\\n\u0001é"}"#)
        // Escapes inside one character ("\r\n" is one), next to combining marks and multi-byte scalars
        // round-trip exactly.
        let tricky = "a\r\nb\"e\u{301}\t🙂\\\u{1F}\u{7F}z"
        let encoded = JSON.object([("t", .string(tricky))]).data()
        #expect((try? JSONSerialization.jsonObject(with: encoded) as? [String: String])?["t"] == tricky)
        #expect(JSON.decimal(micros: 60_312).encoded() == "0.060312")
        #expect(JSON.decimal(micros: 16_654_121).encoded() == "16.654121")
        #expect(JSON.decimal(micros: 2_000_000).encoded() == "2.0")
        #expect(JSON.decimal(micros: -5).encoded() == "-0.000005")
    }

    @Test("prices: batch rates, the unpublished batch cached rule, dated names, rounding", arguments: [
        ("gpt-4o-mini-2024-07-18", PriceTable.TokenClass.input, false, Int64(150_000)),
        ("gpt-4o-mini-2024-07-18", .input, true, 75_000),
        ("gpt-4o-mini", .cachedInput, true, 75_000),
        ("gpt-5-mini-2025-08-07", .cachedInput, true, 12_500),
        ("gpt-5", .output, true, 5_000_000),
        ("text-embedding-3-small", .input, true, 10_000),
        ("some-unknown-model", .output, false, 0),
    ])
    func prices(model: String, tokenClass: PriceTable.TokenClass, batch: Bool, rate: Int64) {
        #expect(PriceTable.standard.rate(model: model, tokenClass: tokenClass, batch: batch) == rate)
    }

    @Test("cost rounding is half up per line item")
    func rounding() {
        #expect(PriceTable.cost(tokens: 10, rate: 75_000) == 1)        // 0.75 micro-dollars -> 1
        #expect(PriceTable.cost(tokens: 6, rate: 75_000) == 0)         // 0.45 -> 0
        #expect(PriceTable.cost(tokens: 1_000_000, rate: 150_000) == 150_000)
        #expect(PriceTable.lineItem(model: "m", tokenClass: .cachedInput, batch: true) == "m, cached input (batch)")
        #expect(ModelCatalog.baseName(of: "gpt-4.1-nano-2025-04-14") == "gpt-4.1-nano")
        #expect(ModelCatalog.baseName(of: "text-embedding-3-small") == "text-embedding-3-small")
    }
}
