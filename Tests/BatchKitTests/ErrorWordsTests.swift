import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// Errors in operator words: file errors name the path and the OS reason; transport errors name the
/// host and what to check; a write error never reads "cannot read".
@Suite struct ErrorWordsTests {
    @Test func aFoundationFileErrorNamesThePathAndTheReasonNotItsDomain() throws {
        let dir = try BatchFixtures.temporaryDirectory("error-words")
        defer { try? FileManager.default.removeItem(at: dir) }
        let blocker = dir.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        // Writing below a regular file fails with ENOTDIR; Foundation calls it a Cocoa error.
        let target = blocker.appendingPathComponent("results.jsonl")
        let error = try #require(throws: (any Error).self) { try Data("y".utf8).write(to: target, options: .atomic) }
        let text = SystemErrorText.describe(error, cannot: "write", path: target.path)
        #expect(text.hasPrefix("cannot write \(target.path): "))
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("could not be completed"), "\(text)")
        #expect(text.contains("not a directory") || text.contains("no such file"), "\(text)")
        // The sync's error text (download failures, the header) says the same.
        #expect(!SyncOptions.openAI(dataDirectory: nil).describeError(error).contains("NSCocoaErrorDomain"))
    }

    @Test func aBareCocoaError256SaysWhatKindOfFailureItWas() {
        let text = SystemErrorText.reason(CocoaError(.fileReadUnknown))
        #expect(!text.contains("NSCocoaErrorDomain"))
        #expect(text.hasPrefix("the read failed (Foundation file error 256"))
        #expect(SystemErrorText.reason(CocoaError(.fileWriteOutOfSpace)) == "no space left on device")
        #expect(SystemErrorText.reason(POSIXError(.EACCES)) == "permission denied")
    }

    @Test func aResultsFileThatCannotBeWrittenSaysCannotWrite() {
        let text = OperationError.fileUnwritable(path: "/x/results.jsonl", reason: "no space left on device").description
        #expect(text.hasPrefix("cannot write /x/results.jsonl: no space left on device"))
    }

    func failure(_ baseURL: String) async throws -> APIError {
        let client = OpenAIClient(options: OpenAIClientOptions(
            baseURL: URL(string: baseURL)!, apiKey: Secret("sk-test-0123456789abcdef"), timeoutSeconds: 10, retry: .none))
        do {
            _ = try await client.listBatches(after: nil, limit: 1)
        } catch let error as APIError {
            return error
        }
        throw CancellationError()
    }

    @Test func aRefusedConnectionSaysSoWithHostAndPort() async throws {
        // A port nobody listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        close(fd)
        let error = try await failure("http://127.0.0.1:\(port)/v1")
        #expect(error.kind == .connectionFailed)
        #expect(error.shortDescription == "connection refused (127.0.0.1:\(port)) — is the server running? check OPENAI_BASE_URL ([api] base_url)")
        #expect(!error.description.contains("[URLError"))
        #expect(error.description.contains("Nothing reached the provider"))
    }

    @Test func anUnresolvableHostSaysWhichHostAndWhatToCheck() async throws {
        let error = try await failure("https://no-such-host.invalid/v1")
        #expect(error.shortDescription.hasPrefix("cannot resolve host no-such-host.invalid — check OPENAI_BASE_URL"), "\(error)")
    }

    @Test func transportCodesBecomeWords() {
        let base = URL(string: "https://api.example.com/v1")!
        func words(_ code: URLError.Code) -> String { OpenAIClient.transportWords(code, base: base, timeout: 120, detail: "raw") }
        #expect(words(.timedOut) == "no answer from api.example.com:443 within 120s — check the network, or raise [api] timeout_seconds")
        #expect(words(.serverCertificateUntrusted).hasPrefix("TLS: the certificate of api.example.com:443 is not trusted"))
        #expect(words(.secureConnectionFailed).hasPrefix("TLS handshake with api.example.com:443 failed"))
        #expect(words(.cannotFindHost).hasPrefix("cannot resolve host api.example.com"))
    }
}
