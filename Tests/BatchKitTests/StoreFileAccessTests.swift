import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// The database file as its owner left it: no command changes its mode, and "forbidden" is never "missing".
@Suite final class StoreFileAccessTests {
    let dir: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("file-access")
    }

    deinit {
        _ = chmod(dir.path, 0o700)
        try? FileManager.default.removeItem(at: dir)
    }

    /// A database with one job, closed again.
    func makeDatabase(at url: URL) throws {
        let store = try BatchStore(url: url)
        try store.applyCycle([BatchFixtures.batch(1, status: .completed)], observedAt: 100)
    }

    func environment() -> [String: String?] {
        ["BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path, "XDG_DATA_HOME": dir.appendingPathComponent("xdg").path,
         "HOME": dir.path, "OPENAI_API_KEY": nil]
    }

    @Test("a read-only command leaves a 0444 database 0444 and warns that others can read it")
    func aReadOnlyCommandLeavesTheModeAlone() throws {
        let db = dir.appendingPathComponent("shared.sqlite")
        try makeDatabase(at: db)
        #expect(chmod(db.path, 0o444) == 0)
        let run = try BatchtopProcess.run(["jobs", "--db", db.path], environment: environment())
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("batch_00000001"))
        #expect(DatabaseFile.permissions(db.path) == 0o444, "the mode was changed")
        #expect(run.stderr.contains("has mode 0444: other users can read it"), "\(run.stderr)")
    }

    @Test func openingAnExistingFileNeverChangesItsMode() throws {
        let db = dir.appendingPathComponent("loose.sqlite")
        try makeDatabase(at: db)
        #expect(chmod(db.path, 0o644) == 0)
        let reader = try BatchStore.openExisting(url: db)
        #expect(DatabaseFile.permissions(db.path) == 0o644)
        #expect(reader.fileWarning?.contains("chmod go-rwx") == true)
        let writer = try BatchStore(url: db)
        #expect(DatabaseFile.permissions(db.path) == 0o644)
        #expect(writer.fileWarning != nil)
        #expect(try BatchStore(url: dir.appendingPathComponent("tight.sqlite")).fileWarning == nil)
    }

    @Test func openExistingNeverCreates() throws {
        let missing = dir.appendingPathComponent("none/batchtop.sqlite")
        #expect(throws: StoreError.missing(path: missing.path)) { try BatchStore.openExisting(url: missing) }
        #expect(!FileManager.default.fileExists(atPath: missing.deletingLastPathComponent().path))
        #expect(StoreError.missing(path: "/x").description.contains("no database at /x yet"))
    }

    /// Run as another user (root: `setpriv` to nobody) or, when not root, with the directory closed to ourselves.
    @Test("a database this user may not reach is reported as permission denied, not as missing")
    func permissionDeniedIsNotMissing() throws {
        let locked = dir.appendingPathComponent("locked", isDirectory: true)
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        let db = locked.appendingPathComponent("batchtop.sqlite")
        try makeDatabase(at: db)
        // The test directory itself must be enterable by the other user; only `locked` is closed.
        #expect(chmod(dir.path, 0o755) == 0)
        #expect(chmod(locked.path, getuid() == 0 ? 0o700 : 0o000) == 0)
        defer { _ = chmod(locked.path, 0o700) }
        var arguments = ["jobs", "--db", db.path]
        var executable = BatchtopProcess.executable.path
        if getuid() == 0 {
            let setpriv = try #require(["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                       "running as root needs setpriv (util-linux) to act as another user")
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
            executable = setpriv
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = "/tmp"
        env["BATCHTOP_CONFIG_DIR"] = "/nonexistent-batchtop-config"
        env["XDG_DATA_HOME"] = "/nonexistent-batchtop-data"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus != 0)
        #expect(!stderr.contains("no database"), "\(stderr)")
        #expect(stderr.contains("permission denied"), "\(stderr)")
        #expect(stderr.contains("may not enter directory \(locked.path)"), "\(stderr)")
    }
}
