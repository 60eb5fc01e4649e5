import Dashboard
import Foundation
import Testing
@testable import batchtop

@Suite struct ThemeLoaderTests {
    func tempDir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("batchtop-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d.appendingPathComponent("themes"), withIntermediateDirectories: true)
        return d
    }

    @Test func noColorWins() throws {
        let loader = ThemeLoader(environment: ["NO_COLOR": "1", "BATCHTOP_THEME": "light"])
        #expect(try loader.load(flag: "light", configured: nil, noColor: false).name == "mono")
        let empty = ThemeLoader(environment: ["NO_COLOR": ""])
        #expect(try empty.load(flag: nil, configured: nil, noColor: false).name == "default", "an empty NO_COLOR does not count")
        #expect(try empty.load(flag: nil, configured: nil, noColor: true).name == "mono")
    }

    @Test func precedenceFlagThenEnvThenConfig() throws {
        let loader = ThemeLoader(environment: ["BATCHTOP_THEME": "light", "HOME": "/nonexistent"])
        #expect(try loader.load(flag: "terminal", configured: "mono", noColor: false).name == "terminal")
        #expect(try loader.load(flag: nil, configured: "mono", noColor: false).name == "light")
        #expect(try ThemeLoader(environment: ["HOME": "/nonexistent"]).load(flag: nil, configured: "colorblind", noColor: false).name == "colorblind")
    }

    @Test func userFileShadowsBuiltInAndWarns() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "accent = \"#ff0000\"\nbogus = 1\n".write(to: dir.appendingPathComponent("themes/light.toml"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(environment: ["BATCHTOP_CONFIG_DIR": dir.path])
        let theme = try loader.load(flag: "light", configured: nil, noColor: false)
        #expect(theme.styles[.accent]?.fg == .rgb(255, 0, 0))
        #expect(theme.warnings.count == 1)
        #expect(loader.available().first { $0.name == "light" }?.location.hasSuffix("themes/light.toml") == true)
        #expect(loader.available().first { $0.name == "default" }?.location == "built-in")
    }

    @Test func unknownThemeListsTheChoices() {
        let loader = ThemeLoader(environment: ["HOME": "/nonexistent"])
        #expect {
            _ = try loader.load(flag: "neon", configured: nil, noColor: false)
        } throws: { error in
            String(describing: error).contains("available: default, light, terminal, mono, colorblind")
        }
    }
}
