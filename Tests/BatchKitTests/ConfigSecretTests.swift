import Foundation
import Testing
@testable import BatchKit

/// `Secret` never shows its value in any textual form.
@Suite struct ConfigSecretTests {
    static let raw = "sk-proj-abcdefghijklmnopqrstuvwxyz0123"

    @Test func everyTextualFormIsMasked() {
        let s = Secret(Self.raw + "\n")
        var dumped = ""
        dump(s, to: &dumped)
        struct Holder { var key: Secret }
        var dumpedHolder = ""
        dump(Holder(key: s), to: &dumpedHolder)
        for text in ["\(s)", s.description, s.debugDescription, String(reflecting: s), dumped, dumpedHolder,
                     String(describing: Holder(key: s)), String(reflecting: [s])] {
            #expect(!text.contains("abcdefghij"), "leaked in: \(text)")
        }
        #expect(s.masked == "sk-...0123")
        #expect(s.revealForAuthorizationHeader() == Self.raw)
    }

    /// (raw, masked)
    static let maskCases: [(String, String)] = [
        ("sk-proj-abcdefghijklmnopqrstuvwxyz0123", "sk-...0123"),
        ("sk-short", "sk-..."),
        ("abcdefghijklmnopqrstuvwxyz", "...wxyz"),
        ("tiny", "..."),
    ]

    @Test(arguments: maskCases)
    func masks(raw: String, masked: String) {
        #expect(Secret(raw).masked == masked)
    }

    @Test func redactScrubsKeyShapedText() {
        let text = "Incorrect API key provided: sk-proj-********************0123. Also sk-abcdefghijklmnop9999 here; id sk-1"
        let out = Secret.redact(text)
        #expect(!out.contains("********"))
        #expect(!out.contains("abcdefghijklmnop"))
        #expect(out.contains("sk-...0123"))
        #expect(out.contains("sk-...9999"))
        #expect(out.contains("sk-1"))
        let custom = Secret("my-custom-proxy-token-123456")
        #expect(Secret.redact("token my-custom-proxy-token-123456 rejected", secrets: [custom]) == "token ...3456 rejected")
    }
}
