import Foundation
import Testing
import TestSupport
@testable import BatchKit
#if canImport(Glibc)
import Glibc
#endif

/// `batchtop results -o PATH` (a real process against the emulator) and the one output-file writer
/// (`OutputFile`) it shares with the real-time results file: what is at the path decides how it is
/// written, and nothing but a regular file is ever replaced.
@Suite(.serialized) final class ResultsOutputTests {
    /// The `S_IFMT` bits of what is at `path` (not following a link), nil when nothing is there.
    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    /// A completed three-request job in a fixture store, and `batchtop results` run on it.
    final class Job: Sendable {
        let fixture: OperationsFixture
        let id: String

        init() async throws {
            fixture = try await OperationsFixture()
            do {
                id = try await fixture.submit(3).id
                try await fixture.advance(id, until: .completed)
            } catch { await fixture.stop(); throw error }
        }

        func results(_ output: String) throws -> BatchtopProcess.Run {
            let cfg = fixture.dir.appendingPathComponent("cfg")
            try FileManager.default.createDirectory(at: cfg, withIntermediateDirectories: true)
            return try BatchtopProcess.run(["results", id, "-o", output, "--db", fixture.store.url.path], environment: [
                "OPENAI_BASE_URL": fixture.harness.baseURL.absoluteString, "OPENAI_API_KEY": fixture.harness.projectKey,
                "USER": "ana", "BATCHTOP_CONFIG_DIR": cfg.path, "XDG_DATA_HOME": fixture.dir.appendingPathComponent("xdg").path,
                "XDG_STATE_HOME": fixture.dir.appendingPathComponent("state").path,
            ])
        }
    }

    @Test func aRegularFileIsCreated0600AndDashWritesToStandardOutput() async throws {
        let job = try await Job()
        do {
            let file = job.fixture.dir.appendingPathComponent("merged.jsonl").path
            let run = try job.results(file)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.mode(file) == 0o600)
            #expect(try OperationsFixture.customIDs(URL(fileURLWithPath: file)) == ["req-1", "req-2", "req-3"])
            // Replacing it keeps 0600, even over a file someone made 0644.
            _ = chmod(file, 0o644)
            #expect(try job.results(file).status == 0)
            #expect(Self.mode(file) == 0o600)

            let dash = try job.results("-")
            #expect(dash.status == 0, "\(dash.stderr)")
            let ids = dash.stdout.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["custom_id"] as? String
            }
            #expect(ids == ["req-1", "req-2", "req-3"], "only the JSONL on stdout: \(dash.stdout)")
            #expect(dash.stderr.contains("3 succeeded") && dash.stderr.contains("wrote standard output"))
            #expect(!FileManager.default.fileExists(atPath: job.fixture.dir.appendingPathComponent("-").path))
        } catch { await job.fixture.stop(); throw error }
        await job.fixture.stop()
    }

    @Test func devicesAndFIFOsAreWrittenThroughNeverReplaced() async throws {
        let job = try await Job()
        do {
            let null = try job.results("/dev/null")
            #expect(null.status == 0, "\(null.stderr)")
            #expect(Self.kind("/dev/null") == S_IFCHR)

            let fifo = job.fixture.dir.appendingPathComponent("pipe").path
            #expect(mkfifo(fifo, 0o600) == 0)
            // A reader is there first (non-blocking, so the test never waits on it); the results fit the pipe buffer.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            #expect(reader >= 0)
            defer { close(reader) }
            let run = try job.results(fifo)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(Self.kind(fifo) == S_IFIFO)
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let got = read(reader, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix(max(0, got)), as: UTF8.self)
            #expect(text.split(separator: "\n").count == 3 && text.contains(#""custom_id":"req-2""#))

            // A link to a device is followed (this is what /dev/stdout is).
            let link = job.fixture.dir.appendingPathComponent("to-null").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
            #expect(try job.results(link).status == 0)
            #expect(Self.kind(link) == S_IFLNK)
        } catch { await job.fixture.stop(); throw error }
        await job.fixture.stop()
    }

    @Test func linksToFilesAndDirectoriesAreRefusedWithWhatToDo() async throws {
        let job = try await Job()
        do {
            let target = job.fixture.dir.appendingPathComponent("precious.txt").path
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
            let link = job.fixture.dir.appendingPathComponent("out.jsonl").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            let run = try job.results(link)
            #expect(run.status == 1)
            #expect(run.stderr.contains("cannot write \(link): it is a symbolic link to the file \(target)"), "\(run.stderr)")
            #expect(run.stderr.contains("pass \(target) itself, or - for standard output"))
            #expect(Self.kind(link) == S_IFLNK)
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me\n")

            let dangling = job.fixture.dir.appendingPathComponent("dangling.jsonl").path
            try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: job.fixture.dir.appendingPathComponent("nowhere").path)
            #expect(try job.results(dangling).stderr.contains("which does not exist"))
            #expect(!FileManager.default.fileExists(atPath: job.fixture.dir.appendingPathComponent("nowhere").path))

            let directory = job.fixture.dir.path
            let dir = try job.results(directory)
            #expect(dir.status == 1)
            #expect(dir.stderr.contains("cannot write \(directory): it is a directory; name a file inside it"), "\(dir.stderr)")
            let missingParent = try job.results(job.fixture.dir.appendingPathComponent("no/such/dir/out.jsonl").path)
            #expect(missingParent.status == 1 && missingParent.stderr.contains("does not exist; create it first"))
        } catch { await job.fixture.stop(); throw error }
        await job.fixture.stop()
    }

    @Test func theRealtimeResultsFileFollowsTheSameRule() throws {
        let dir = try BatchFixtures.temporaryDirectory("results-file")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("in.results.jsonl").path
        let file = try ResultsFile(path: path)
        try file.append(Data("{\"custom_id\":\"a\"}\n".utf8))
        file.close()
        #expect(Self.mode(path) == 0o600)
        #expect(try ResultsFile.answeredIDs(at: path) == ["a"])

        let target = dir.appendingPathComponent("elsewhere.jsonl").path
        try Data().write(to: URL(fileURLWithPath: target))
        let link = dir.appendingPathComponent("link.results.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect { try ResultsFile(path: link) } throws: { "\($0)".contains("is a symbolic link to the file") }
        #expect { try ResultsFile.answeredIDs(at: link) } throws: { "\($0)".contains("is a symbolic link to the file") }
        let fifo = dir.appendingPathComponent("fifo.results.jsonl").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Refused before anything opens it (opening a FIFO to read it back would block).
        #expect { try ResultsFile.answeredIDs(at: fifo) } throws: { "\($0)".contains("must be a regular file") }
    }
}
