// Measures that OpenAIClient streams uploads from disk and downloads to disk: uploads and downloads a
// large file through a loopback FlyingFox server and prints the process's peak resident memory.
//
// Run: swift run -c release APIStreamingBenchmark [megabytes]   (default 200)
import BatchKit
import FlyingFox
import Foundation

/// Peak and current resident set size in MiB, from /proc/self/status (Linux); nil elsewhere.
func memory() -> (peak: Double, current: Double)? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    func field(_ name: String) -> Double? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return nil }
        return line.split(separator: " ").compactMap { Double($0) }.first.map { $0 / 1024 }
    }
    guard let peak = field("VmHWM:"), let current = field("VmRSS:") else { return nil }
    return (peak, current)
}

func mib(_ v: Double?) -> String { v.map { String(format: "%.1f MiB", $0) } ?? "n/a" }

let megabytes = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("batchtop-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }

// The input: JSONL-ish lines, written in 1 MiB chunks so the benchmark itself never holds it.
let input = dir.appendingPathComponent("input.jsonl")
_ = FileManager.default.createFile(atPath: input.path, contents: nil)
let writer = try FileHandle(forWritingTo: input)
let line = Data((#"{"custom_id": "req", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4o-mini"}}"# + "\n").utf8)
var chunk = Data()
while chunk.count < 1 << 20 { chunk.append(line) }
for _ in 0..<megabytes { try writer.write(contentsOf: chunk) }
try writer.close()
let size = (try FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.int64Value ?? 0

let server = HTTPServer(
    address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 600, logger: .disabled,
    handler: ClosureHTTPHandler { request in
        if request.method == .POST {
            // Count the body as it streams in; never collect it.
            var received = 0
            for try await part in request.bodySequence { received += part.count }
            let json = #"{"id": "file-bench", "object": "file", "bytes": \#(received), "created_at": 0, "filename": "input.jsonl", "purpose": "batch"}"#
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data(json.utf8))
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/octet-stream"],
                            body: try HTTPBodySequence(file: input, suggestedBufferSize: 256 * 1024))
    })
let serverTask = Task { try await server.run() }
try await server.waitUntilListening()
guard case .ip4(_, let port) = await server.listeningAddress else { fatalError("no port") }

let client = OpenAIClient(options: OpenAIClientOptions(
    baseURL: URL(string: "http://127.0.0.1:\(port)/v1")!, apiKey: Secret("sk-bench-0000000000000000"), timeoutSeconds: 600))

let before = memory()
print("file: \(size / 1_048_576) MiB; RSS before: \(mib(before?.current)), peak so far: \(mib(before?.peak))")

var start = Date()
let uploaded = try await client.uploadFile(at: input, purpose: "batch")
var seconds = Date().timeIntervalSince(start)
let afterUpload = memory()
print(String(format: "upload:   server received %lld bytes (multipart) in %.2f s (%.0f MiB/s); peak RSS %@",
             uploaded.bytes, seconds, Double(size) / 1_048_576 / seconds, mib(afterUpload?.peak)))

start = Date()
let output = dir.appendingPathComponent("output.jsonl")
let downloaded = try await client.downloadFileContent(id: "file-bench", to: output)
seconds = Date().timeIntervalSince(start)
let afterDownload = memory()
print(String(format: "download: %lld bytes in %.2f s (%.0f MiB/s); peak RSS %@",
             downloaded, seconds, Double(downloaded) / 1_048_576 / seconds, mib(afterDownload?.peak)))
print("peak RSS growth over the run: \(mib(afterDownload.flatMap { a in before.map { a.peak - $0.peak } }))")
await server.stop(timeout: 1)
serverTask.cancel()
