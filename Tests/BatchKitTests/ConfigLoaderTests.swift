import Foundation
import Testing
@testable import BatchKit

/// `ConfigLoader`: precedence, XDG paths, key files, and errors that say where and how to fix.
@Suite struct ConfigLoaderTests {
    let dir: TemporaryDirectory
    var home: URL { dir.url.appendingPathComponent("home") }

    init() throws {
        dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("home"), withIntermediateDirectories: true)
    }

    func loader(_ env: [String: String]) -> ConfigLoader {
        ConfigLoader(environment: env, home: home, workingDirectory: dir.url)
    }

    /// Writes `text` as the config file under `BATCHTOP_CONFIG_DIR` and returns that env entry.
    func writeConfig(_ text: String) throws -> [String: String] {
        let cfg = dir.url.appendingPathComponent("cfg")
        try FileManager.default.createDirectory(at: cfg, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: cfg.appendingPathComponent("config.toml"))
        return ["BATCHTOP_CONFIG_DIR": cfg.path]
    }

    func writeKey(_ name: String, _ key: String, mode: Int) throws -> URL {
        let url = dir.url.appendingPathComponent(name)
        try Data((key + "\n").utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
        return url
    }

    @Test func defaultsWithEmptyEnvironment() throws {
        let c = try loader([:]).load()
        #expect(c.paths.configFile.value.path == home.path + "/.config/batchtop/config.toml")
        #expect(c.paths.configFile.source == .builtInDefault)
        #expect(c.paths.dataDirectory.value.path == home.path + "/.local/share/batchtop")
        #expect(c.paths.stateDirectory.value.path == home.path + "/.local/state/batchtop")
        #expect(c.paths.database.value.path == home.path + "/.local/share/batchtop/batchtop.sqlite")
        #expect(c.api.baseURL.value.absoluteString == "https://api.openai.com/v1")
        #expect(c.api.apiKey == nil)
        #expect(c.api.maxRetries == Sourced(2, .builtInDefault))
        #expect(!c.configFileExists)
        #expect(c.warnings.isEmpty)
    }

    @Test func environmentIsReadWithSources() throws {
        let c = try loader([
            "OPENAI_API_KEY": "sk-env-0123456789abcdef", "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
            "OPENAI_ORG_ID": "org-1", "OPENAI_PROJECT_ID": "proj_1", "OPENAI_ADMIN_KEY": "sk-admin-0123456789abcd",
            "XDG_CONFIG_HOME": "/x/config", "XDG_DATA_HOME": "/x/data", "XDG_STATE_HOME": "/x/state", "USER": "alice",
        ]).load()
        #expect(c.api.apiKey?.value.revealForAuthorizationHeader() == "sk-env-0123456789abcdef")
        #expect(c.api.apiKey?.source == .environment("OPENAI_API_KEY"))
        #expect(c.api.adminKey?.source == .environment("OPENAI_ADMIN_KEY"))
        #expect(c.api.baseURL == Sourced(URL(string: "http://127.0.0.1:8080/v1")!, .environment("OPENAI_BASE_URL")))
        #expect(c.api.organization == Sourced("org-1", .environment("OPENAI_ORG_ID")))
        #expect(c.api.project == Sourced("proj_1", .environment("OPENAI_PROJECT_ID")))
        #expect(c.paths.configFile.value.path == "/x/config/batchtop/config.toml")
        #expect(c.paths.dataDirectory == Sourced(URL(fileURLWithPath: "/x/data/batchtop"), .environment("XDG_DATA_HOME")))
        #expect(c.paths.stateDirectory.source == .environment("XDG_STATE_HOME"))
        #expect(c.paths.database.value.path == "/x/data/batchtop/batchtop.sqlite")
        #expect(c.identity.name == Sourced("alice", .environment("USER")))
        #expect(c.warnings.isEmpty)
    }

    @Test func relativeXDGValuesAreIgnored() throws {
        let c = try loader(["XDG_DATA_HOME": "relative/data"]).load()
        #expect(c.paths.dataDirectory.source == .builtInDefault)
    }

    @Test func configFileOverridesEnvironment() throws {
        let key = try writeKey("key", "sk-file-abcdefghijklmnop4321", mode: 0o600)
        var env = try writeConfig("""
            [api]
            base_url = "https://proxy.example.com/v1"
            api_key_file = "\(key.path)"
            organization = "org-file"
            timeout_seconds = 30
            max_retries = 5

            [identity]
            name = "bob"

            [ui]
            theme = "light"
            readonly = true

            [paths]
            data_dir = "~/data"
            """)
        env["OPENAI_API_KEY"] = "sk-env-0123456789abcdef"
        env["OPENAI_BASE_URL"] = "http://127.0.0.1:1/v1"
        env["OPENAI_ORG_ID"] = "org-env"
        env["USER"] = "alice"
        let c = try loader(env).load()
        let file = c.paths.configFile.value.path
        #expect(c.configFileExists)
        #expect(c.paths.configFile.source == .environment("BATCHTOP_CONFIG_DIR"))
        #expect(c.api.baseURL == Sourced(URL(string: "https://proxy.example.com/v1")!, .file(path: file, key: "api.base_url")))
        #expect(c.api.apiKey?.value.revealForAuthorizationHeader() == "sk-file-abcdefghijklmnop4321")
        #expect(c.api.apiKey.map { if case .keyFile(key.path, _) = $0.source { true } else { false } } == true)
        #expect(c.api.organization?.value == "org-file")
        #expect(c.api.timeoutSeconds.value == 30)
        #expect(c.api.maxRetries.value == 5)
        #expect(c.identity.name?.value == "bob")
        #expect(c.ui.theme.value == "light")
        #expect(c.ui.readonly.value == true)
        #expect(c.paths.dataDirectory.value.path == home.path + "/data")
        #expect(c.paths.database.value.path == home.path + "/data/batchtop.sqlite")
        #expect(c.warnings.isEmpty)
        let options = try c.clientOptions()
        #expect(options.retry.maxRetries == 5)
        #expect(options.timeoutSeconds == 30)
        #expect(options.stagingDirectory?.path == home.path + "/data/tmp")
    }

    @Test func configFlagAndDatabaseFlagWin() throws {
        let flagged = dir.url.appendingPathComponent("elsewhere.toml")
        try Data("[ui]\ntheme = \"mono\"\n".utf8).write(to: flagged)
        var env = try writeConfig("[ui]\ntheme = \"light\"\n")
        env["XDG_DATA_HOME"] = "/x/data"
        let c = try loader(env).load(configFlag: "elsewhere.toml", databaseFlag: "db/my.sqlite")
        #expect(c.paths.configFile == Sourced(flagged.standardizedFileURL, .flag("--config")))
        #expect(c.ui.theme.value == "mono")
        #expect(c.paths.database.value.path == dir.url.appendingPathComponent("db/my.sqlite").standardizedFileURL.path)
        #expect(c.paths.database.source == .flag("--db"))
    }

    @Test func missingFlaggedConfigIsAnError() {
        #expect(throws: ConfigError.self) { try loader([:]).load(configFlag: "/nonexistent/batchtop.toml") }
    }

    @Test func brokenTOMLNamesFileLineAndFix() throws {
        let env = try writeConfig("[api]\nbase_url = \"https://x\"\ntimeout_seconds = = 3\n")
        do {
            _ = try loader(env).load()
            Issue.record("expected a syntax error")
        } catch let error as ConfigError {
            guard case .syntax(let path, let line, _, _) = error else { Issue.record("wrong case \(error)"); return }
            #expect(path.hasSuffix("cfg/config.toml"))
            #expect(line == 3)
            #expect(error.description.contains("config.toml:3:"))
        }
    }

    /// (config text, key named in the error, expected line)
    static let badValueCases: [(String, String, Int)] = [
        ("[api]\ntimeout_seconds = \"soon\"\n", "timeout_seconds", 2),
        ("[api]\n\nmax_retries = 99\n", "max_retries", 3),
        ("[api]\nbase_url = \"ftp://x\"\n", "base_url", 2),
        ("[ui]\nreadonly = \"yes\"\n", "readonly", 2),
        ("api = 3\n", "api", 1),
        ("[identity]\nname = \"\"\n", "name", 2),
    ]

    @Test(arguments: badValueCases)
    func badValuesPointAtTheLine(text: String, key: String, line: Int) throws {
        let env = try writeConfig(text)
        do {
            _ = try loader(env).load()
            Issue.record("expected an invalid value error")
        } catch let error as ConfigError {
            guard case .invalidValue(_, let got, let named, _) = error else { Issue.record("wrong case \(error)"); return }
            #expect(named.contains(key))
            #expect(got == line)
        }
    }

    @Test func badEnvironmentURLNamesTheVariable() {
        #expect(throws: ConfigError.invalidEnvironment(
            name: "OPENAI_BASE_URL",
            message: "\"not a url\" is not an http(s) URL; use e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1"
        )) { try loader(["OPENAI_BASE_URL": "not a url"]).load() }
    }

    @Test func unknownKeysAndInlineKeysWarn() throws {
        let env = try writeConfig("""
            colour = "red"

            [api]
            api_key = "sk-inline-0123456789abcdef"
            base_urll = "https://typo"

            [budgets.batch]
            daily = 100
            """)
        let c = try loader(env).load()
        let messages = c.warnings.map(\.description)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains(":1:") && $0.contains("colour") })
        #expect(messages.contains { $0.contains(":4:") && $0.contains("api_key is ignored") })
        #expect(messages.contains { $0.contains(":5:") && $0.contains("base_urll") })
        #expect(c.api.apiKey == nil)
        #expect(!messages.joined().contains("0123456789abcdef"))
        #expect(c.reservedSections["budgets"]?.tableValue?["batch"]?.tableValue?["daily"] == .integer(100))
    }

    @Test func readableKeyFileWarnsAndPrivateOneDoesNot() throws {
        let open = try writeKey("open-key", "sk-open-abcdefghijklmnop1111", mode: 0o644)
        let closed = try writeKey("closed-key", "sk-shut-abcdefghijklmnop2222", mode: 0o600)
        let c1 = try loader(try writeConfig("[api]\napi_key_file = \"\(open.path)\"\n")).load()
        #expect(c1.warnings.count == 1)
        #expect(c1.warnings.first?.message.contains("chmod 600") == true)
        let c2 = try loader(try writeConfig("[api]\nadmin_key_file = \"\(closed.path)\"\n")).load()
        #expect(c2.warnings.isEmpty)
        #expect(c2.api.adminKey?.value.masked == "sk-...2222")
    }

    @Test func missingOrEmptyKeyFileIsAnError() throws {
        #expect(throws: ConfigError.self) {
            try loader(try writeConfig("[api]\napi_key_file = \"/nonexistent/key\"\n")).load()
        }
        let empty = try writeKey("empty", "", mode: 0o600)
        #expect(throws: ConfigError.self) {
            try loader(try writeConfig("[api]\napi_key_file = \"\(empty.path)\"\n")).load()
        }
    }

    @Test func noKeyErrorNamesEveryWayOut() throws {
        let c = try loader([:]).load()
        #expect(throws: ConfigError.self) { try c.requireAPIKey() }
        let text = ConfigError.noAPIKey(configFile: c.paths.configFile.value.path).description
        for needle in ["OPENAI_API_KEY", "OPENAI_BASE_URL", c.paths.configFile.value.path, "api_key_file", "batchtop demo"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
    }

    @Test func plainHTTPToARemoteHostWarns() throws {
        let c = try loader(["OPENAI_BASE_URL": "http://proxy.internal/v1"]).load()
        #expect(c.warnings.contains { $0.message.contains("unencrypted") })
        let local = try loader(["OPENAI_BASE_URL": "http://127.0.0.1:9999/v1"]).load()
        #expect(local.warnings.isEmpty)
    }

    @Test func reportShowsSourcesAndNeverKeys() throws {
        let key = try writeKey("key", "sk-file-abcdefghijklmnop4321", mode: 0o600)
        var env = try writeConfig("[api]\napi_key_file = \"\(key.path)\"\n[approvals]\napprovers = [\"carol\"]\n")
        env["OPENAI_ADMIN_KEY"] = "sk-admin-zyxwvutsrqponm9999"
        let report = ConfigReport(try loader(env).load())
        let text = report.renderedText()
        #expect(!text.contains("abcdefghijklmnop"))
        #expect(!text.contains("zyxwvutsrqponm"))
        let byName = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.name, $0) })
        #expect(byName["api_key"]?.value == "set (sk-...4321)")
        #expect(byName["api_key"]?.source?.contains(key.path) == true)
        #expect(byName["admin_key"]?.value == "set (sk-...9999)")
        #expect(byName["admin_key"]?.source == "env OPENAI_ADMIN_KEY")
        #expect(byName["organization"]?.value == "not set")
        #expect(byName["config_file"]?.source == "env BATCHTOP_CONFIG_DIR")
        #expect(byName["reserved_sections"]?.value.contains("[approvals]") == true)
    }
}
