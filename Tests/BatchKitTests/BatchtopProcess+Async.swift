import Foundation

extension BatchtopProcess {
    /// Runs batchtop to completion without blocking a thread of the cooperative pool, or kills it after
    /// `limit` seconds (`timedOut`).
    ///
    /// Rule: a test whose child process talks to an emulator in this test process waits with this, why:
    /// the emulator serves on the cooperative pool (two threads on a two-core machine), and a test
    /// blocking a pool thread in `waitUntilExit` starved it until the child's request timed out.
    static func runAsync(_ arguments: [String], environment: [String: String?], limit: TimeInterval) async throws
        -> (run: Run, timedOut: Bool)
    {
        let p = try process(arguments, environment: environment)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("batchtop-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        // Files, not pipes, why: a pipe nobody drains blocks a chatty child.
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(limit)
        while p.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
        let timedOut = p.isRunning
        if timedOut { p.terminate() }
        while p.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        p.waitUntilExit()
        let run = Run(status: p.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        return (run, timedOut)
    }
}
