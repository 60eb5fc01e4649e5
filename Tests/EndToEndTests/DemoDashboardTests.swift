import Foundation
import Testing

/// The real `batchtop` binary driven in tmux like a person: `batchtop demo`, keys, the screen.
///
/// Waits poll the screen until text appears (bounded), never asserting on time.
@Suite(.serialized) struct DemoDashboardTests {
    /// Starts `batchtop demo` in a fresh tmux session and waits for the first jobs.
    func startDemo(width: Int = 130, height: Int = 40, extra: String = "") async throws -> TmuxSession {
        let binary = try #require(batchtopBinary(), "build batchtop first (swift build), or set BATCHTOP_BIN")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bt-e2e-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // The shell line reports the exit code after the dashboard ends, so the test can read it.
        let session = try TmuxSession(
            command: "trap : INT QUIT; '\(binary.path)' demo \(extra); echo \"EXITED:$?\"; sleep 120",
            width: width, height: height,
            environment: ["HOME": home.path, "XDG_CONFIG_HOME": home.path + "/config", "TERM": "xterm-256color", "LANG": "C.UTF-8"])
        try await session.waitFor("the jobs list", timeout: 60) { $0.contains("1 Jobs") && $0.contains("batch_") }
        return session
    }

    @Test func navigateFilterDetailResizeAndQuitRestoresTheTerminal() async throws {
        let tmux = try await startDemo()
        defer { tmux.kill() }
        #expect(tmux.query("#{alternate_on}") == "1", "the dashboard uses the alternate screen")

        // Navigation: down, bottom, top.
        try tmux.send("j", "j", "G", "g")

        // Filter: only nightly-eval rows remain, and the title says so.
        try tmux.send("/")
        try tmux.type("nightly")
        try tmux.send("Enter")
        // The whole condition is the wait's predicate: tmux may capture while a frame is still being
        // written (a full redraw spans several writes), so one capture that shows the title can still
        // hold rows of the previous frame. A screen that never settles fails with the last capture.
        try await tmux.waitFor("only nightly rows under a closed filter prompt") { screen in
            let rows = screen.split(separator: "\n").filter { $0.contains("batch_") }
            return screen.contains("filter: nightly") && !screen.contains("Enter keep")
                && !rows.isEmpty && rows.allSatisfy { $0.contains("nightly") }
        }

        // Detail of the selected job, then back.
        try tmux.send("Enter")
        try await tmux.waitFor("the detail of a nightly job") {
            $0.contains("Timeline") && $0.contains("workload") && $0.contains("nightly-eval")
        }
        try tmux.send("Escape")
        try await tmux.waitFor(text: "filter: nightly")

        // Every pane answers its number.
        try tmux.send("2")
        try await tmux.waitFor("the queue pane") { $0.contains("batch") && $0.contains("in flight") }
        try tmux.send("3")
        try await tmux.waitFor(text: "Today")
        try tmux.send("1")
        try await tmux.waitFor(text: "filter: nightly")

        // Resize to the minimum, below it, and back: never a corrupt layout.
        try tmux.resize(width: 60, height: 15)
        let small = try await tmux.waitFor("the 60x15 layout") { $0.contains("batch_") && !$0.contains("too small") }
        #expect(small.split(separator: "\n").allSatisfy { $0.count <= 60 })
        try tmux.resize(width: 50, height: 10)
        try await tmux.waitFor(text: "terminal too small: 50x10, need 60x15")
        try tmux.resize(width: 130, height: 40)
        try await tmux.waitFor("the full layout again") { $0.contains("4 Decisions") && $0.contains("batch_") }

        // Quit: the shell prints the exit code on the normal screen.
        try tmux.send("q")
        try await tmux.waitFor(text: "EXITED:0")
        #expect(tmux.query("#{alternate_on}") == "0", "the terminal left the alternate screen")
    }

    @Test func cancelThroughTheDialogUntilTheProviderSaysCancelled() async throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("bt-e2e-\(UInt32.random(in: 0...UInt32.max)).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db.path + suffix) } }
        let tmux = try await startDemo(extra: "--db '\(db.path)'")
        defer { tmux.kill() }
        // Pick a job the provider is still running, the way a script would: through the headless command.
        let binary = try #require(batchtopBinary())
        let (status, json) = try spawnAndWait([binary.path, "jobs", "--json", "--status", "in_progress", "--db", db.path], captureOutput: true)
        #expect(status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let jobs = try #require(object?["jobs"] as? [[String: Any]])
        let id = try #require(jobs.first?["id"] as? String, "the demo has jobs in progress")
        let shown = String(id.prefix(10))

        try tmux.send("/")
        try tmux.type(id)
        try tmux.send("Enter")
        try await tmux.waitFor("only \(id)") { screen in
            let rows = screen.split(separator: "\n").filter { $0.contains("batch_") && !$0.contains("filter:") }
            return rows.count == 1 && rows[0].contains(shown)
        }
        try tmux.send("c")
        // The dialog names verb, count and target, and its default is No.
        try await tmux.waitFor("the cancel dialog naming \(id)") {
            $0.contains("Cancel 1 job?") && $0.contains("default is No") && $0.contains(id)
        }
        try tmux.send("y")
        // Never an optimistic "cancelled": first cancelling (requested), then what the provider says.
        try await tmux.waitFor("cancelling") { $0.contains("cancelling") && $0.contains(shown) }
        try await tmux.waitFor("cancelled", timeout: 90) { screen in
            screen.split(separator: "\n").contains { $0.contains(shown) && $0.contains("cancelled") }
        }
        try tmux.send("Escape", "q")
        try await tmux.waitFor(text: "EXITED:0")
    }

    @Test func ctrlCQuitsAndRestoresTheTerminal() async throws {
        let tmux = try await startDemo(width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.send("C-c")
        let screen = try await tmux.waitFor(text: "EXITED:")
        #expect(screen.contains("EXITED:0") || screen.contains("EXITED:130"), "\(screen)")
        #expect(tmux.query("#{alternate_on}") == "0")
    }

    /// Ctrl+backslash sends SIGQUIT: it quits cleanly like Ctrl-C, why: left to Swift's runtime, its
    /// backtracer painted a crash report over the dashboard and left the terminal in raw mode.
    @Test func ctrlBackslashQuitsCleanlyWithoutACrashReport() async throws {
        let tmux = try await startDemo(width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.send("C-\\")
        let screen = try await tmux.waitFor(text: "EXITED:")
        #expect(screen.contains("EXITED:0"), "\(screen)")
        #expect(!screen.contains("crashed") && !screen.contains("Backtrace") && !screen.contains("Thread 0"), "\(screen)")
        #expect(tmux.query("#{alternate_on}") == "0")
    }

    @Test func helpIsGeneratedFromTheKeyMap() async throws {
        let tmux = try await startDemo()
        defer { tmux.kill() }
        try tmux.send("?")
        try await tmux.waitFor("the help overlay") { $0.contains("Help (Esc closes") && $0.contains("filter") && $0.contains("quit") }
        try tmux.send("Escape")
        try tmux.send("q")
        try await tmux.waitFor(text: "EXITED:0")
    }
}
