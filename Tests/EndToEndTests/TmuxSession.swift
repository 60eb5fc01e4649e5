import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A detached tmux session on a private server socket, driven like a person at a keyboard.
///
/// Each session gets its own `-L` socket so tests never touch the developer's tmux and can run in
/// parallel.
final class TmuxSession {
    let name: String
    private let socket: String

    /// Why a tmux step failed, with the screen at that moment.
    struct Failure: Error, CustomStringConvertible {
        let what: String
        let screen: String
        var description: String { "\(what)\n--- screen ---\n\(screen)\n--------------" }
    }

    /// Starts `command` (run by `/bin/sh -c`) in a new session of the given size.
    init(command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        name = "bt\(UInt32.random(in: 0...UInt32.max))"
        socket = "batchtop-e2e-\(name)"
        var args = ["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            args += ["-e", "\(key)=\(value)"]
        }
        args += ["/bin/sh", "-c", command]
        // The server this starts inherits the client's stdout; with a pipe there, reading to EOF would
        // wait for the server to exit. Nothing is read from new-session, so it gets no pipe.
        try run(args, captureOutput: false)
        // Keep the pane after the program exits so the test can read what it left behind.
        try run(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { kill() }

    /// Types keys; names like `Enter`, `Escape`, `C-c`, `Down` are tmux key names.
    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", name] + keys)
    }

    /// Types literal text.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", name, "-l", text])
    }

    /// The visible screen as text.
    func capture() -> String {
        (try? run(["capture-pane", "-p", "-t", name])) ?? ""
    }

    /// A tmux format value for the pane, e.g. `#{alternate_on}` or `#{pane_dead}`.
    func query(_ format: String) -> String {
        ((try? run(["display-message", "-p", "-t", name, format])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Resizes the window.
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until `predicate` holds for the screen, or throws with the last screen.
    ///
    /// Async, why: a test that sleeps a thread of Swift's small cooperative pool starves every other
    /// test in the process (on 2 cores the pool has 2 threads), including in-process servers.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 30, _ predicate: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while !predicate(screen) {
            if Date() > deadline { throw Failure(what: "timed out waiting for \(what)", screen: screen) }
            try await Task.sleep(nanoseconds: 100_000_000)
            screen = capture()
        }
        return screen
    }

    /// Waits until `text` is on screen.
    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 30) async throws -> String {
        try await waitFor("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// Ends the session and its server, and makes sure the server process is gone.
    ///
    /// Why the check: a server that does not exit on `kill-server` would outlive the test run; its pid
    /// (read before) gets SIGKILL after a bounded wait.
    func kill() {
        let pid = pid_t(query("#{pid}")) ?? 0
        _ = try? run(["kill-server"])
        guard pid > 0 else { return }
        for _ in 0..<50 {
            if Glibc.kill(pid, 0) != 0 { return }
            usleep(20_000)
        }
        _ = Glibc.kill(pid, SIGKILL)
    }

    @discardableResult
    private func run(_ args: [String], captureOutput: Bool = true) throws -> String {
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + args
        let (status, output) = try spawnAndWait(argv, captureOutput: captureOutput)
        guard status == 0 else {
            throw Failure(what: "tmux \(args.joined(separator: " ")) exited \(status)", screen: "")
        }
        return output
    }
}

/// Runs a program found on PATH and waits for it; stdout goes to a temporary file, never a pipe.
///
/// Why not `Process` with a `Pipe`: `tmux new-session` forks a server that inherits the client's
/// descriptors, so reading a pipe to EOF (or the runtime's reaper watching it) waits for the server.
func spawnAndWait(_ argv: [String], captureOutput: Bool) throws -> (Int32, String) {
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("bt-e2e-out-\(UInt64.random(in: 0...UInt64.max))").path
    defer { unlink(outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, captureOutput ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    // Default dispositions and an empty mask, why: the test process ignores SIGINT/SIGTERM/SIGHUP (the
    // runtime tests install batchtop's termination handler), and a spawned tmux server and its panes would
    // inherit that, so `kill-server` could not end the programs in them and servers outlived the run.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, environ)
    guard rc == 0 else {
        throw TmuxSession.Failure(what: "cannot start \(argv[0]): \(String(cString: strerror(rc)))", screen: "")
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    let exited = (status & 0x7f) == 0
    let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    let output = captureOutput ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    return (code, output)
}

/// Where the built `batchtop` binary is: `BATCHTOP_BIN`, else the debug build beside this package.
func batchtopBinary() -> URL? {
    if let path = ProcessInfo.processInfo.environment["BATCHTOP_BIN"] {
        return URL(fileURLWithPath: path)
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    for candidate in [".build/debug/batchtop", ".build/x86_64-unknown-linux-gnu/debug/batchtop", ".build/aarch64-unknown-linux-gnu/debug/batchtop"] {
        let url = root.appendingPathComponent(candidate)
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}
