import Foundation
import Testing
@testable import BatchKit

/// The `[lanes]` config section.
@Suite("Lanes: [lanes] settings")
struct LanesSettingsTests {
    static func parse(_ toml: String) throws -> LanesSettings {
        try LanesSettings(section: try ConfigValue.parse(toml: toml)["lanes"], path: "config.toml")
    }

    @Test func readsEverySetting() throws {
        let s = try Self.parse("""
            [lanes]
            max_requests_per_chunk = 1000
            max_bytes_per_chunk = 5000000
            realtime_concurrency = 3
            [lanes.limits]
            "gpt-4o-mini" = 90000
            """)
        #expect(s.chunkLimits.maxRequests == 1000)
        #expect(s.chunkLimits.maxBytes == 5_000_000)
        #expect(s.realtimeConcurrency == 3)
        #expect(s.tokenLimits.limit(for: "gpt-4o-mini-2024-07-18") == 90_000)
    }

    @Test func missingSectionMeansDefaults() throws {
        let s = try Self.parse("[ui]\ntheme = \"mono\"\n")
        #expect(s == LanesSettings())
    }

    @Test(arguments: [
        ("[lanes]\nmax_requests_per_chunk = 60000\n", "lanes.max_requests_per_chunk"),
        ("[lanes]\nmax_bytes_per_chunk = 0\n", "lanes.max_bytes_per_chunk"),
        ("[lanes]\nrealtime_concurrency = \"8\"\n", "lanes.realtime_concurrency"),
        ("[lanes]\nchunk_size = 3\n", "lanes.chunk_size"),
        ("[lanes.limits]\n\"gpt-4o\" = -1\n", "lanes.limits.\"gpt-4o\""),
        ("[lanes]\nlimits = 5\n", "lanes.limits"),
    ])
    func badValuesNameTheKey(toml: String, key: String) {
        #expect { _ = try Self.parse(toml) } throws: { ($0 as? LanesConfigError)?.key == key }
    }
}
