// RealtimeBench: requests per second the real-time lane executor achieves against the in-process emulator
// at several concurrency bounds. Not a test: it prints figures. See Benchmarks/README.md.
import BatchEmulator
import BatchKit
import Foundation

var requests = 2_000
var bounds = [1, 4, 8, 16]
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    let value = arguments.next() ?? ""
    switch argument {
    case "--requests": requests = Int(value) ?? requests
    case "--concurrency": bounds = value.split(separator: ",").compactMap { Int($0) }
    default:
        print("usage: RealtimeBench [--requests N] [--concurrency 1,4,8,16]")
        exit(2)
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// A fresh emulator per run, on a real-time clock, why: its rate-limit window (10,000 requests per
/// simulated minute) must reset as real time passes, or the executor's pacing would wait forever.
func startEmulator() async throws -> (EmulatorServer, OpenAIClient) {
    var config = EmulatorConfig()
    config.port = 0
    config.clockMode = .accelerated(speed: 1)
    let server = try EmulatorServer(config: config)
    try await server.start()
    guard let baseURL = server.baseURL else { print("the emulator did not start"); exit(1) }
    return (server, OpenAIClient(options: OpenAIClientOptions(baseURL: baseURL, apiKey: Secret(config.projectKey))))
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("realtime-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let input = directory.appendingPathComponent("input.jsonl")
var text = ""
for k in 1...requests {
    text += #"{"custom_id":"r\#(k)","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"question \#(k)"}]}}"# + "\n"
}
try text.write(to: input, atomically: true, encoding: .utf8)
let summary = try InputFileValidator().validate(path: input.path)

/// Prints a line at once (stdout to a pipe is otherwise block-buffered).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

say("RealtimeBench: \(requests) chat completions against the in-process emulator on loopback")
for bound in bounds {
    let (server, client) = try await startEmulator()
    let results = directory.appendingPathComponent("results-\(bound).jsonl").path
    let started = now()
    let run = try await RealtimeExecutor(transport: client, concurrency: bound).run(summary, resultsPath: results)
    let seconds = now() - started
    await server.stop()
    let rate = Double(run.sent) / seconds
    say("  concurrency \(String(bound).padding(toLength: 3, withPad: " ", startingAt: 0)): \(run.succeeded) ok, \(run.failed) failed in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", rate)) requests/s")
}
