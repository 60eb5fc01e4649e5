import Foundation
import Testing
@testable import BatchKit

@Suite struct SyncSHA256Tests {
    // FIPS 180-2 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hex(Data(message.utf8)) == digest)
    }

    @Test(arguments: [1, 7, 63, 64, 65, 1000, 4096])
    func aMillionAsInAnyChunkingGiveTheSameDigest(chunk: Int) {
        var s = SHA256()
        var left = 1_000_000
        let block = Data(repeating: UInt8(ascii: "a"), count: chunk)
        while left > 0 {
            let n = min(chunk, left)
            s.update(block.prefix(n))
            left -= n
        }
        #expect(s.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
