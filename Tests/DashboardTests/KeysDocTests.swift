import Foundation
import Testing
@testable import Dashboard

/// docs/KEYS.md is generated from the live key map; this keeps the two equal.
@Suite struct KeysDocTests {
    @Test func keysDocMatchesKeyMap() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/KEYS.md")
        let generated = KeyMap.standard.markdown
        if Snapshot.recording {
            try generated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let stored = try? String(contentsOf: url, encoding: .utf8)
        #expect(stored == generated, "docs/KEYS.md is out of date: BATCHTOP_RECORD_SNAPSHOTS=1 swift test --filter KeysDocTests")
    }

    @Test func everyCommandHasABinding() {
        let bound = Set(KeyMap.standard.bindings.map(\.command))
        #expect(bound == Set(Command.allCases))
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            let keys = KeyMap.standard.bindings.filter { $0.applies(in: context) }.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "duplicate key in \(context)")
        }
    }
}
