// EmulatorBench: requests per second of the emulator on loopback, with many batches stored, and the memory a
// 200 MB upload costs. Not a test: it prints figures. See Benchmarks/README.md.
import BatchEmulator
import Foundation

struct Options {
    var batches = 10_000
    var seconds = 5.0
    var connections = [1, 4]
    var uploadMB = 200

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next() ?? ""
            switch argument {
            case "--batches": options.batches = Int(value) ?? options.batches
            case "--seconds": options.seconds = Double(value) ?? options.seconds
            case "--connections": options.connections = value.split(separator: ",").compactMap { Int($0) }
            case "--upload-mb": options.uploadMB = Int(value) ?? options.uploadMB
            default:
                print("usage: EmulatorBench [--batches N] [--seconds S] [--connections 1,4] [--upload-mb MB (0 skips)]")
                exit(2)
            }
        }
        return options
    }
}

/// Peak resident memory of this process so far, in MB (Linux `VmHWM`).
func peakRSSMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kb / 1024
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// Runs `connections` threads that each repeat `makeRequest` for `seconds`; returns (requests/s, p50 ms, p99 ms, errors).
func load(port: UInt16, connections: Int, seconds: Double, makeRequest: @escaping @Sendable (Int) -> String) async -> (Double, Double, Double, Int) {
    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var latencies: [Double] = []
        var errors = 0
    }
    let results = Results()
    let group = DispatchGroup()
    let deadline = now() + seconds
    for worker in 0..<connections {
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            var local: [Double] = []
            var errors = 0
            guard let client = try? LoopbackClient(port: port) else { results.lock.lock(); results.errors += 1; results.lock.unlock(); return }
            var counter = worker * 1_000_003
            while now() < deadline {
                let started = now()
                do {
                    let (status, _) = try client.request(makeRequest(counter))
                    if status != 200 { errors += 1 }
                } catch { errors += 1; break }
                local.append(now() - started)
                counter += 1
            }
            results.lock.lock(); results.latencies += local; results.errors += errors; results.lock.unlock()
        }
        thread.start()
    }
    await withCheckedContinuation { continuation in group.notify(queue: .global()) { continuation.resume() } }
    let sorted = results.latencies.sorted()
    guard !sorted.isEmpty else { return (0, 0, 0, results.errors) }
    let p50 = sorted[sorted.count / 2] * 1000
    let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000
    return (Double(sorted.count) / seconds, p50, p99, results.errors)
}

let options = Options.parse(CommandLine.arguments)
var config = EmulatorConfig()
config.requestFailureRate = 0.02
let server = try EmulatorServer(config: config)
let port = try await server.start()
let auth = "Authorization: Bearer \(config.projectKey)\r\n"
print("EmulatorBench: emulator on 127.0.0.1:\(port), \(ProcessInfo.processInfo.activeProcessorCount) cores")

// Seed: one small input file, then `batches` creates over HTTP.
let setup = try LoopbackClient(port: port)
let line = #"{"custom_id":"c-ID","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"benchmark me"}]}}"#
let content = Array((1...3).map { line.replacingOccurrences(of: "ID", with: "\($0)") }.joined(separator: "\n").utf8)
let boundary = "bench-boundary"
var multipart = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.jsonl\"\r\n\r\n".utf8)
multipart += content + Array("\r\n--\(boundary)--\r\n".utf8)
_ = try setup.request("POST /v1/files HTTP/1.1\r\nHost: b\r\n\(auth)Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(multipart.count)\r\n\r\n", body: multipart)
let fileList = try await URLSessionFree.fileID(port: port, key: config.projectKey)
let createBody = Array(#"{"input_file_id":"\#(fileList)","endpoint":"/v1/chat/completions","completion_window":"24h","metadata":{"workload":"bench"}}"#.utf8)
let createStart = now()
for _ in 0..<options.batches {
    _ = try setup.request("POST /v1/batches HTTP/1.1\r\nHost: b\r\n\(auth)Content-Type: application/json\r\nContent-Length: \(createBody.count)\r\n\r\n", body: createBody)
}
let createSeconds = now() - createStart
print(String(format: "seeded %d batches via POST /v1/batches in %.1f s (%.0f creates/s, 1 connection)",
             options.batches, createSeconds, Double(options.batches) / createSeconds))
let advanceStart = now()
server.advance(seconds: 2 * 86_400)
print(String(format: "advanced 48 h: %d batches completed, output files written, in %.1f s", options.batches, now() - advanceStart))
let ids = try await URLSessionFree.batchIDs(port: port, key: config.projectKey, limit: 100)

print("")
print("endpoint                          conns   req/s   p50 ms   p99 ms  errors")
let cases: [(String, @Sendable (Int) -> String)] = [
    ("GET /v1/batches (limit 20)", { _ in "GET /v1/batches HTTP/1.1\r\nHost: b\r\n\(auth)\r\n" }),
    ("GET /v1/batches?limit=100", { _ in "GET /v1/batches?limit=100 HTTP/1.1\r\nHost: b\r\n\(auth)\r\n" }),
    ("GET /v1/batches?after=<mid>", { _ in "GET /v1/batches?after=\(ids[ids.count / 2]) HTTP/1.1\r\nHost: b\r\n\(auth)\r\n" }),
    ("GET /v1/batches/{id}", { n in "GET /v1/batches/\(ids[n % ids.count]) HTTP/1.1\r\nHost: b\r\n\(auth)\r\n" }),
]
for (name, make) in cases {
    for connections in options.connections {
        let (rate, p50, p99, errors) = await load(port: port, connections: connections, seconds: options.seconds, makeRequest: make)
        let label = name.padding(toLength: 33, withPad: " ", startingAt: 0)
        print(label + String(format: " %5d %7.0f %8.2f %8.2f %7d", connections, rate, p50, p99, errors))
    }
}

if options.uploadMB > 0 {
    print("")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-bench-upload.jsonl")
    let linePad = String(repeating: "x", count: max(0, options.uploadMB * 1024 * 1024 / 50_000 - 180))
    _ = FileManager.default.createFile(atPath: path.path, contents: nil)
    let writer = try FileHandle(forWritingTo: path)
    var chunk = ""
    for index in 1...50_000 {
        chunk += #"{"custom_id":"u-\#(index)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(linePad)"}]}}"# + "\n"
        if chunk.utf8.count > 4 << 20 { try writer.write(contentsOf: Data(chunk.utf8)); chunk = "" }
    }
    try writer.write(contentsOf: Data(chunk.utf8)); try writer.close()
    let size = (try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? NSNumber)?.intValue ?? 0
    let before = peakRSSMB()
    let uploader = try LoopbackClient(port: port)
    let head = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n".utf8)
    let tail = Array("\r\n--\(boundary)--\r\n".utf8)
    let uploadStart = now()
    try uploader.write(Array("POST /v1/files HTTP/1.1\r\nHost: b\r\n\(auth)Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(head.count + size + tail.count)\r\n\r\n".utf8) + head)
    let reader = try FileHandle(forReadingFrom: path)
    while let data = try reader.read(upToCount: 1 << 20), !data.isEmpty { try uploader.write(Array(data)) }
    try uploader.write(tail)
    let (status, _) = try uploader.readResponse()
    let uploadSeconds = now() - uploadStart
    print(String(format: "upload %.0f MB (50,000 lines): HTTP %d in %.1f s (%.0f MB/s); peak RSS %.0f MB before, %.0f MB after",
                 Double(size) / 1_048_576, status, uploadSeconds, Double(size) / 1_048_576 / uploadSeconds, before, peakRSSMB()))
    let bigID = ((try URLSessionFree.get(port: port, key: config.projectKey, path: "/v1/files?limit=1")["data"] as? [[String: Any]])?
        .first?["id"] as? String) ?? ""
    let bigCreate = Array(#"{"input_file_id":"\#(bigID)","endpoint":"/v1/chat/completions","completion_window":"24h"}"#.utf8)
    let scanStart = now()
    let (createStatus, _) = try uploader.request("POST /v1/batches HTTP/1.1\r\nHost: b\r\n\(auth)Content-Type: application/json\r\nContent-Length: \(bigCreate.count)\r\n\r\n", body: bigCreate)
    print(String(format: "create a batch from it (validates all 50,000 lines, streamed): HTTP %d in %.1f s; peak RSS %.0f MB",
                 createStatus, now() - scanStart, peakRSSMB()))
    try? FileManager.default.removeItem(at: path)
}
await server.stop()

/// Reads ids back with the same loopback client (no URLSession in the benchmark).
enum URLSessionFree {
    static func get(port: UInt16, key: String, path: String) throws -> [String: Any] {
        let body = try LoopbackClient(port: port).fetch("GET \(path) HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer \(key)\r\n\r\n")
        return ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:]
    }

    static func fileID(port: UInt16, key: String) async throws -> String {
        let list = try get(port: port, key: key, path: "/v1/files")
        return ((list["data"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
    }

    static func batchIDs(port: UInt16, key: String, limit: Int) async throws -> [String] {
        let list = try get(port: port, key: key, path: "/v1/batches?limit=\(limit)")
        return ((list["data"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }
}
