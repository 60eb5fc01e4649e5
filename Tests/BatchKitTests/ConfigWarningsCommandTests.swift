import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// Every command that loads the configuration says what is wrong with it, once, on stderr (not only
/// `info`): an unknown setting and an API key file others can read.
@Suite final class ConfigWarningsCommandTests {
    let dir: URL
    let db: URL
    let keyFile: URL

    init() throws {
        dir = try BatchFixtures.temporaryDirectory("config-warnings")
        db = dir.appendingPathComponent("batchtop.sqlite")
        keyFile = dir.appendingPathComponent("openai.key")
        try Data("sk-test-0123456789\n".utf8).write(to: keyFile)
        _ = chmod(keyFile.path, 0o644)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cfg"), withIntermediateDirectories: true)
        try Data("""
            [api]
            api_key_file = "\(keyFile.path)"
            base_url = "http://127.0.0.1:9/v1"
            max_retries = 0
            timeout_seconds = 2

            [ui]
            colour = "blue"
            """.utf8).write(to: dir.appendingPathComponent("cfg/config.toml"))
        _ = try BatchStore(url: db)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func batchtop(_ arguments: [String]) throws -> BatchtopProcess.Run {
        var env: [String: String?] = [
            "USER": "ana", "BATCHTOP_CONFIG_DIR": dir.appendingPathComponent("cfg").path,
            "XDG_DATA_HOME": dir.appendingPathComponent("data").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
        ]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("OPENAI_") { env[key] = .some(nil) }
        return try BatchtopProcess.run(arguments + ["--db", db.path], environment: env)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test("each command that loads the configuration warns once on stderr",
          arguments: [["sync", "--once"], ["dashboard", "--once"], ["jobs"], ["audit", "--verify"], ["queue"],
                      ["spend"], ["decisions", "list"], ["results", "batch_x", "-o", "-"]])
    func warnsOnce(arguments: [String]) throws {
        let run = try batchtop(arguments)
        #expect(Self.count("unknown setting [ui] colour is ignored", in: run.stderr) == 1, "\(arguments): \(run.stderr)")
        #expect(Self.count("key file is readable by group or others", in: run.stderr) == 1, "\(arguments): \(run.stderr)")
        #expect(!run.stdout.contains("unknown setting"), "warnings never mix into the output: \(run.stdout)")
    }

    @Test func infoListsThemInItsReportOnly() throws {
        let run = try batchtop(["info"])
        #expect(run.stdout.contains("unknown setting [ui] colour is ignored"))
        #expect(!run.stderr.contains("unknown setting"))
    }
}
