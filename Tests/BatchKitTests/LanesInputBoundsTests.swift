import Foundation
import Testing
@testable import BatchKit
import TestSupport

/// Input validation is bounded: devices, FIFOs and oversized files get a clear error, never a hang.
@Suite struct LanesInputBoundsTests {
    @Test func aDeviceIsRefusedAtOnce() {
        #expect {
            _ = try InputFileValidator().validate(path: "/dev/zero")
        } throws: { error in
            guard let e = error as? InputFileError, e.operation == .notRegularFile else { return false }
            return e.description.contains("/dev/zero: it is a character device, not a regular file")
        }
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let path = fixture.path("requests.fifo")
        #expect(mkfifo(path, 0o600) == 0)
        // Opening a FIFO for reading would block until a writer came: the check must not open it. Should
        // it block anyway, a writer comes after 30 s and goes (EOF), so the test ends either way.
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) {
            let fd = open(path, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        #expect {
            _ = try InputFileValidator().validate(path: path)
        } throws: { error in
            (error as? InputFileError)?.description.contains("it is a FIFO (named pipe), not a regular file") == true
        }
    }

    @Test func aFileOverTheSizeBoundIsRefusedBeforeReading() throws {
        let fixture = LanesFixture()
        defer { fixture.remove() }
        let path = fixture.file(lines: (1...50).map { requestLine("r\($0)") })
        #expect {
            _ = try InputFileValidator(maxFileBytes: 1_024).validate(path: path)
        } throws: { error in
            guard let e = error as? InputFileError, e.operation == .tooLarge else { return false }
            return e.description.contains("more than the 1024 bytes batchtop accepts in one submission")
                && e.description.contains("split -l")
        }
        // Under the bound the same file is read as usual.
        #expect(try InputFileValidator(maxFileBytes: 1 << 20).validate(path: path).requests == 50)
    }

    @Test func submitDevZeroEndsWithAClearError() async throws {
        let dir = try BatchFixtures.temporaryDirectory("submit-zero")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (run, timedOut) = try await BatchtopProcess.runAsync(
            ["submit", "/dev/zero", "--workload", "w", "--lane", "batch", "--db", dir.appendingPathComponent("db.sqlite").path],
            environment: ["OPENAI_API_KEY": nil, "BATCHTOP_CONFIG_DIR": dir.path, "XDG_DATA_HOME": dir.path], limit: 60)
        #expect(!timedOut, "submit /dev/zero did not end")
        #expect(run.status != 0)
        #expect(run.stderr.contains("it is a character device, not a regular file"), "\(run.stderr)")
    }
}
