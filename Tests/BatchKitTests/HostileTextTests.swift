import Foundation
import Synchronization
import Testing
import TestSupport
@testable import BatchKit

/// A hostile provider (escape sequences, raw controls, C1 controls, bidi overrides, invalid UTF-8 and
/// megabyte values in metadata, errors, request ids, file contents and file names) synced by the real
/// binary, then every read command run as a real process: no byte of any output may act on a terminal.
@Suite(.serialized) final class HostileTextTests {
    // MARK: The hostile text

    /// OSC 52: puts `rm -rf ~` on the clipboard.
    static let osc52 = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
    /// OSC 0: retitles the window (terminated by ST).
    static let osc0 = "\u{1B}]0;pwned\u{1B}\\"
    /// CSI: clears the screen and homes the cursor.
    static let csi = "\u{1B}[2J\u{1B}[H"
    /// Raw C0 controls and DEL: backspace, carriage return, NUL-adjacent, bell.
    static let c0 = "\u{01}\u{08}\u{0D}\u{07}\u{7F}"
    /// 8-bit C1 controls VTE, screen and mosh obey: CSI, OSC ... ST, NEL.
    static let c1 = "\u{9B}2J\u{9D}0;c1title\u{9C}\u{85}"
    /// Bidirectional overrides and isolates.
    static let bidi = "\u{202E}gpj.exe\u{2066}x\u{2069}"
    /// All of it in one value.
    static let hostile = "evil" + osc52 + osc0 + csi + c0 + c1 + bidi + "end"
    /// A 1 MB metadata value laced with escapes.
    static let huge = String(repeating: "A\u{1B}[2J\u{9B}31m", count: 100_000) + "END"

    let dir: URL
    let db: URL
    let now = Int64(Date().timeIntervalSince1970)
    /// Set to make the provider's listing fail (with hostile text).
    let failList = Switch()

    final class Switch: Sendable {
        private let on = Mutex(false)
        var isOn: Bool { on.withLock { $0 } }
        func turnOn() { on.withLock { $0 = true } }
    }

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("hostile")
        db = dir.appendingPathComponent("batchtop.sqlite")
        let cfg = dir.appendingPathComponent("cfg")
        try FileManager.default.createDirectory(at: cfg, withIntermediateDirectories: true)
        try Data("""
            [identity]
            name = "ana"

            [approvals]
            approvers = ["ana", "ben"]

            [api]
            max_retries = 0
            """.utf8).write(to: cfg.appendingPathComponent("config.toml"))
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    // MARK: The world

    var doneID: String { "batch_hostile_done" }
    var runID: String { "batch_hostile_run" }
    var hugeID: String { "batch_hostile_huge" }
    var brokenID: String { "batch_hostile_broken" }

    /// The provider's batches: finished with hostile errors and files, in progress past its expiry
    /// (the advisor escalates it), a megabyte workload, a file whose download fails with hostile text.
    func batches() -> [Batch] {
        var done = BatchFixtures.batch(1, status: .completed, createdAt: now - 7200, total: 3, completed: 2, failed: 1,
                                       workload: Self.hostile, model: "gpt-4o-mini", outputFileID: "file-out1", errorFileID: "file-err1")
        done.id = doneID
        done.inputFileID = "file-in1"
        done.metadata["notes"] = Self.hostile
        // The real-time lane: the advisor proposes moving this (non-urgent) workload to batch.
        done.metadata[MetadataKey.lane] = "realtime"
        done.errors = [BatchErrorItem(code: Self.hostile, message: Self.hostile, param: Self.hostile, line: 2)]
        done.usage = TokenUsage(inputTokens: 300, cachedInputTokens: 0, outputTokens: 200, reasoningTokens: 0)

        var run = BatchFixtures.batch(2, status: .inProgress, createdAt: now - 3600, total: 1000, completed: 1,
                                      workload: "w" + Self.bidi + Self.c1, model: "model" + Self.osc52 + Self.c1)
        run.id = runID
        run.inProgressAt = now - 3600
        run.expiresAt = now + 3600
        run.metadata[MetadataKey.deadline] = String(now + 600)

        var huge = BatchFixtures.batch(3, status: .inProgress, createdAt: now - 600, workload: Self.huge)
        huge.id = hugeID
        huge.metadata["blob"] = Self.huge

        var broken = BatchFixtures.batch(4, status: .completed, createdAt: now - 500, total: 1, completed: 1,
                                         workload: "broken" + Self.csi, outputFileID: "file-broken")
        broken.id = brokenID
        broken.usage = TokenUsage(inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, reasoningTokens: 0)
        return [broken, huge, run, done]
    }

    /// The hostile provider: every answer carries a hostile `x-request-id`; errors carry hostile text.
    func provider() async throws -> APIStubServer {
        let batches = batches()
        let byID = Dictionary(uniqueKeysWithValues: batches.map { ($0.id, $0) })
        let headers = ["x-request-id": "req" + Self.osc52 + Self.c1 + Self.bidi]
        let error = APIStubServer.Reply.json(
            400, #"{"error":{"message":"\#(Self.jsonEscaped(Self.hostile))","type":"invalid_request_error","param":"\#(Self.jsonEscaped(Self.hostile))","code":"\#(Self.jsonEscaped(Self.hostile))"}}"#,
            headers: headers)
        let failList = self.failList
        let input = Data("""
            {"custom_id":"req-1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}
            {"custom_id":"req-2","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}
            {"custom_id":"req-3","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[]}}

            """.utf8)
        let output = Data("""
            {"id":"r1","custom_id":"req-1","response":{"status_code":200,"request_id":"\(Self.jsonEscaped(Self.hostile))","body":{"id":"x","object":"chat.completion","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}},"error":null}

            """.utf8)
        // An error code with escapes, C1, bidi and invalid UTF-8 (raw 0xFF 0xFE bytes).
        var errorLines = Data(#"{"id":"r2","custom_id":"req-2","response":null,"error":{"code":"bad\u001b[2J\u009b1m\u202e"#.utf8)
        errorLines.append(contentsOf: [0xFF, 0xFE, 0xC2])
        errorLines.append(contentsOf: #"code","message":"\#(Self.jsonEscaped(Self.hostile))"}}"#.utf8)
        errorLines.append(0x0A)
        errorLines.append(contentsOf: #"{"id":"r3","custom_id":"req-3","response":null,"error":{"code":"\#(Self.jsonEscaped(Self.hostile))","message":"m"}}"#.utf8)
        errorLines.append(0x0A)
        let errors = errorLines
        return try await APIStubServer.start { request, _ in
            switch (request.method, request.path) {
            case ("GET", "/batches"):
                if failList.isOn { return error }
                let data = batches.map { BatchJSONWriter.encode($0) }.joined(separator: ",")
                return .json(200, #"{"object":"list","data":[\#(data)],"first_id":"\#(batches[0].id)","last_id":"\#(batches[batches.count - 1].id)","has_more":false}"#,
                             headers: headers)
            case ("GET", let path) where path.hasPrefix("/batches/"):
                guard let b = byID[String(path.dropFirst("/batches/".count))] else { return error }
                return .json(200, BatchJSONWriter.encode(b), headers: headers)
            case ("GET", "/files/file-in1/content"): return .respond(status: 200, headers: headers, body: input)
            case ("GET", "/files/file-out1/content"): return .respond(status: 200, headers: headers, body: output)
            case ("GET", "/files/file-err1/content"): return .respond(status: 200, headers: headers, body: errors)
            default: return error
            }
        }
    }

    static func jsonEscaped(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || UntrustedText.isBidiControl(scalar) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Rows no command writes today but an older batchtop (or anyone with the database) could have:
    /// a raw hostile request id, actor and decision, and a job whose id itself is hostile.
    func injectRawRows() throws {
        let store = try BatchStore(url: db)
        try store.appendAudit(AuditDraft(at: now, actor: "old" + Self.osc0, action: "cancel" + Self.c1, targets: [Self.hostile],
                                         parameters: ["note": Self.hostile], outcome: Self.hostile,
                                         providerRequestID: "req" + Self.osc52 + Self.csi + Self.bidi))
        _ = try store.raiseDecision(
            RoutingDecision(id: "dec_raw" + Self.csi, subject: .workload(Self.hostile), toLane: .batch, toClass: nil,
                            reason: Self.hostile, source: .operator, requestedBy: "ben" + Self.osc0, requestedAt: now,
                            details: ["note": Self.hostile]),
            audit: AuditDraft(at: now, actor: "ben", action: "decision.raise", targets: ["dec_raw"], outcome: "pending"))
        var odd = BatchFixtures.batch(5, status: .failed, createdAt: now - 100, workload: Self.hostile)
        odd.id = "batch_odd" + Self.osc0 + Self.bidi
        try store.recordObservedBatch(odd, observedAt: now)
    }

    // MARK: Running the binary

    struct Output {
        var arguments: [String]
        var status: Int32
        var stdout: Data
        var stderr: Data
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var errorText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `batchtop` to completion without blocking a cooperative thread (the stub server needs them);
    /// output goes to files, so neither stream can fill a pipe. Bounded: killed after 120 s.
    func run(_ arguments: [String], provider: APIStubServer) async throws -> Output {
        let p = try BatchtopProcess.process(arguments + (arguments.contains("--db") ? [] : ["--db", db.path]), environment: [
            "OPENAI_API_KEY": "sk-hostile-test-key-0123456789", "OPENAI_ADMIN_KEY": nil,
            "OPENAI_BASE_URL": "http://ops:s3cretpw@127.0.0.1:\(provider.port)/v1",
            "OPENAI_ORG_ID": nil, "OPENAI_PROJECT_ID": nil,
            "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path,
            "XDG_DATA_HOME": dir.appendingPathComponent("data").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
            "USER": "ana", "LOGNAME": nil, "COLUMNS": "160", "LINES": "48", "TERM": "xterm-256color", "NO_COLOR": nil,
        ])
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString)"), err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = FileHandle.nullDevice
        let killer = Task { try await Task.sleep(nanoseconds: 120_000_000_000); p.terminate() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            p.terminationHandler = { _ in continuation.resume() }
            do { try p.run() } catch { p.terminationHandler = nil; continuation.resume(throwing: error) }
        }
        killer.cancel()
        try outHandle.close(); try errHandle.close()
        return Output(arguments: arguments, status: p.terminationStatus,
                      stdout: try Data(contentsOf: out), stderr: try Data(contentsOf: err))
    }

    /// What in `data` could act on a terminal: ESC, a C0 control other than newline and tab, DEL, a C1
    /// control (UTF-8 C2 80..9F), a bidi control, or bytes that are not UTF-8 at all.
    static func terminalHazards(_ data: Data) -> [String] {
        let bytes = [UInt8](data)
        var found: [String] = []
        func context(_ i: Int) -> String {
            String(decoding: bytes[max(0, i - 24)..<min(bytes.count, i + 8)], as: UTF8.self).debugDescription
        }
        var i = 0
        while i < bytes.count && found.count < 5 {
            let b = bytes[i]
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            let third = i + 2 < bytes.count ? bytes[i + 2] : 0
            if b == 0x1B { found.append("ESC at \(i): \(context(i))") }
            else if b < 0x20 && b != 0x0A && b != 0x09 { found.append("C0 0x\(String(b, radix: 16)) at \(i): \(context(i))") }
            else if b == 0x7F { found.append("DEL at \(i): \(context(i))") }
            else if b == 0xC2 && (0x80...0x9F).contains(next) { found.append("C1 U+00\(String(next, radix: 16)) at \(i): \(context(i))") }
            else if b == 0xE2 && next == 0x80 && ((0xAA...0xAE).contains(third) || third == 0x8E || third == 0x8F) { found.append("bidi at \(i): \(context(i))") }
            else if b == 0xE2 && next == 0x81 && (0xA6...0xA9).contains(third) { found.append("bidi isolate at \(i): \(context(i))") }
            else if b == 0xD8 && next == 0x9C { found.append("ALM at \(i): \(context(i))") }
            i += 1
        }
        if String(data: data, encoding: .utf8) == nil { found.append("not UTF-8") }
        return found
    }

    /// Both streams of a run are free of terminal hazards; human text (not JSON) stays small.
    func expectClean(_ o: Output, humanLimit: Int? = 200_000, sourceLocation: SourceLocation = #_sourceLocation) {
        let command = o.arguments.map(\.debugDescription).joined(separator: " ")
        #expect(Self.terminalHazards(o.stdout).isEmpty, "stdout of \(command): \(Self.terminalHazards(o.stdout))", sourceLocation: sourceLocation)
        #expect(Self.terminalHazards(o.stderr).isEmpty, "stderr of \(command): \(Self.terminalHazards(o.stderr))", sourceLocation: sourceLocation)
        if let humanLimit {
            #expect(o.stdout.count + o.stderr.count < humanLimit,
                    "\(command) printed \(o.stdout.count + o.stderr.count) bytes: long values are not bounded", sourceLocation: sourceLocation)
        }
        #expect(!o.text.contains("s3cretpw") && !o.errorText.contains("s3cretpw"), "\(command) shows the base URL's password",
                sourceLocation: sourceLocation)
    }

    // MARK: The test

    @Test func noCommandPrintsAByteThatActsOnATerminal() async throws {
        let provider = try await provider()
        defer { Task { await provider.stop() } }

        let sync = try await run(["sync", "--once"], provider: provider)
        #expect(sync.status == 0, "\(sync.errorText)")
        expectClean(sync)
        try injectRawRows()

        // JSON keeps every value whole (escaped): the hostile workload and the megabyte round-trip.
        let jobsJSON = try await run(["jobs", "--json"], provider: provider)
        expectClean(jobsJSON, humanLimit: nil)
        let object = try #require(try JSONSerialization.jsonObject(with: jobsJSON.stdout) as? [String: Any])
        let jobs = try #require(object["jobs"] as? [[String: Any]])
        #expect(jobs.contains { $0["workload"] as? String == Self.hostile }, "JSON keeps the hostile value as data")
        #expect(jobs.contains { ($0["batch"] as? [String: Any]).flatMap { $0["metadata"] as? [String: String] }?["blob"] == Self.huge })

        for args in [["jobs"], ["jobs", "--csv"], ["jobs", "--ascii"], ["job", doneID], ["job", runID], ["job", hugeID],
                     ["job", brokenID], ["job", "batch_odd" + Self.osc0 + Self.bidi]] {
            let o = try await run(args, provider: provider)
            #expect(o.status == 0, "\(args): \(o.errorText)")
            expectClean(o)
        }
        for args in [["job", doneID, "--json"], ["job", hugeID, "--json"], ["spend", "--json"], ["spend", "--json", "--by", "workload"],
                     ["audit", "--json"], ["queue", "--json"], ["info", "--json"]] {
            let o = try await run(args, provider: provider)
            #expect(o.status == 0, "\(args): \(o.errorText)")
            expectClean(o, humanLimit: nil)
            #expect((try? JSONSerialization.jsonObject(with: o.stdout)) != nil, "\(args) is not JSON")
        }
        let jobJSON = try await run(["job", doneID, "--json"], provider: provider)
        let job = try #require(try JSONSerialization.jsonObject(with: jobJSON.stdout) as? [String: Any])
        #expect(job["workload"] as? String == Self.hostile)

        for args in [["spend"], ["spend", "--csv"], ["spend", "--by", "workload"], ["spend", "--by", "model", "--csv"], ["queue"], ["info"]] {
            let o = try await run(args, provider: provider)
            #expect(o.status == 0, "\(args): \(o.errorText)")
            expectClean(o)
        }

        // Decisions: the advisor raises from hostile workloads; list, approve, explain the route.
        let advise = try await run(["decisions", "advise"], provider: provider)
        #expect(advise.status == 0 && advise.text.contains("raised: "), "\(advise.text) \(advise.errorText)")
        expectClean(advise)
        let listJSON = try await run(["decisions", "list", "--json"], provider: provider)
        expectClean(listJSON, humanLimit: nil)
        let decisions = try #require((try JSONSerialization.jsonObject(with: listJSON.stdout) as? [String: Any])?["decisions"] as? [[String: Any]])
        let advised = try #require(decisions.first { $0["source"] as? String == "advisor" && $0["subject"] as? String == Self.hostile },
                                   "the advisor proposes moving the hostile real-time workload: \(listJSON.text.prefix(2000))")
        for args in [["decisions", "list"], ["decisions", "list", "--all"], ["decisions", "approve", try #require(advised["id"] as? String)],
                     ["decisions", "list", "--all"], ["route", "explain", Self.hostile], ["route", "explain", String(Self.huge.prefix(10_000))]] {
            let o = try await run(args, provider: provider)
            #expect(o.status == 0, "\(args.map { $0.prefix(40) }): \(o.errorText)")
            expectClean(o)
        }

        // Results: hostile error codes (with invalid UTF-8) and a hostile output file name.
        let results = try await run(["results", doneID, "-o", dir.appendingPathComponent("out" + Self.osc0 + Self.c1 + ".jsonl").path,
                                     "--include-errors"], provider: provider)
        #expect(results.status == 0, "\(results.errorText)")
        #expect(results.text.contains("errors by code: evil"), "the hostile code is shown, sanitized: \(results.text)")
        expectClean(results)

        // Provider errors: a refused cancel (hostile message, code, param, request id), a failing sync.
        let cancel = try await run(["cancel", runID], provider: provider)
        #expect(cancel.status != 0)
        expectClean(cancel)
        failList.turnOn()
        let failed = try await run(["sync", "--once"], provider: provider)
        #expect(failed.status != 0 && failed.errorText.contains("sync failed"), "\(failed.errorText)")
        expectClean(failed)

        // The audit now holds hostile actors, targets, outcomes and request ids, raw and from the client.
        let audit = try await run(["audit"], provider: provider)
        #expect(audit.status == 0 && audit.text.contains("[request req"), "\(audit.text)")
        expectClean(audit)
        expectClean(try await run(["audit", "--json"], provider: provider), humanLimit: nil)

        // One frame of the dashboard, and hostile arguments echoed in errors.
        let frame = try await run(["--once", "--width", "160", "--height", "48"], provider: provider)
        #expect(frame.status == 0 && frame.text.contains("batch_hostile_done"), "\(frame.text) \(frame.errorText)")
        expectClean(frame)
        for args in [["job", Self.hostile], ["jobs", "--status", Self.hostile], ["jobs", "--since", Self.hostile], [Self.hostile]] {
            let o = try await run(args, provider: provider)
            #expect(o.status != 0, "\(args) should fail")
            expectClean(o)
        }
    }
}
