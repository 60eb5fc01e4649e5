import Foundation
import TOMLKit

/// Resolves `BatchtopConfig` from flags, the environment and config.toml.
///
/// Precedence, highest first: flags, the config file, the environment, built-in defaults. The
/// environment and home directory are injected so tests never read the real ones.
public struct ConfigLoader: Sendable {
    /// The environment variables to read.
    public var environment: [String: String]
    /// The home directory (`~`).
    public var home: URL
    /// The directory relative paths on the command line resolve against.
    public var workingDirectory: URL

    /// Keys understood in `[api]`.
    static let apiKeys: Set<String> = [
        "base_url", "api_key_file", "admin_key_file", "organization", "project", "timeout_seconds", "max_retries",
    ]
    static let identityKeys: Set<String> = ["name"]
    static let uiKeys: Set<String> = ["theme", "readonly"]
    static let pathKeys: Set<String> = ["data_dir", "state_dir", "database"]
    /// Every top-level section batchtop knows.
    static let sections: Set<String> = Set(["api", "identity", "ui", "paths", "spend"]).union(BatchtopConfig.reservedSectionNames)

    /// The largest key file accepted; anything bigger is not a key.
    static let keyFileLimit = 16 * 1024

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, home: URL? = nil,
        workingDirectory: URL? = nil
    ) {
        self.environment = environment
        if let home {
            self.home = home
        } else if let h = environment["HOME"], h.hasPrefix("/") {
            self.home = URL(fileURLWithPath: h)
        } else {
            self.home = FileManager.default.homeDirectoryForCurrentUser
        }
        self.workingDirectory = workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Loads the configuration.
    /// - Parameters:
    ///   - configFlag: the `--config PATH` value; that file must exist.
    ///   - databaseFlag: a `--db PATH` value, when the command has one.
    /// - Throws: `ConfigError` for an unreadable or invalid file or value. A missing key is not an error
    ///   here (some commands need none); call `requireAPIKey()` where one is needed.
    public func load(configFlag: String? = nil, databaseFlag: String? = nil) throws -> BatchtopConfig {
        let (configDir, configFile) = BatchtopPaths.configLocation(
            flag: configFlag, environment: environment, home: home, cwd: workingDirectory)
        let path = configFile.value.path
        var text: String?
        if FileManager.default.fileExists(atPath: path) {
            do {
                text = try String(contentsOf: configFile.value, encoding: .utf8)
            } catch {
                throw ConfigError.unreadableFile(path: path, purpose: "config file", reason: Self.reason(error))
            }
        } else if configFlag != nil {
            throw ConfigError.unreadableFile(path: path, purpose: "config file (from --config)", reason: "no such file")
        }
        return try resolve(configText: text, directory: configDir, file: configFile, databaseFlag: databaseFlag)
    }

    /// Resolves the configuration from `configText` as the content of the config file, without reading that file.
    ///
    /// The file's location still comes from the environment (it names the config directory and anchors relative
    /// paths), and key files named in the text are read as `load` reads them. Used by the fuzz targets (`Fuzz/`),
    /// which feed it arbitrary text.
    public func load(configText: String, databaseFlag: String? = nil) throws -> BatchtopConfig {
        let (configDir, configFile) = BatchtopPaths.configLocation(
            flag: nil, environment: environment, home: home, cwd: workingDirectory)
        return try resolve(configText: configText, directory: configDir, file: configFile, databaseFlag: databaseFlag)
    }

    /// Everything after reading: parse `configText` (nil when there is no config file), then layer it over the
    /// environment and the defaults.
    private func resolve(
        configText: String?, directory configDir: Sourced<URL>, file configFile: Sourced<URL>, databaseFlag: String?
    ) throws -> BatchtopConfig {
        let path = configFile.value.path
        var warnings: [ConfigWarning] = []

        var root: [String: ConfigValue] = [:]
        var locator = TOMLLineLocator("")
        let exists = configText != nil
        if let text = configText {
            do throws(TOMLSyntaxError) {
                root = try ConfigValue.parse(toml: text)
            } catch {
                throw ConfigError.syntax(path: path, line: error.line, column: error.column, message: error.message)
            }
            locator = TOMLLineLocator(text)
        }

        let file = FileSection(path: path, locator: locator, table: nil, values: root)
        for key in root.keys.sorted() where !Self.sections.contains(key) {
            warnings.append(ConfigWarning(
                path: path, line: locator.line(of: key, in: nil),
                message: "unknown setting \"\(key)\" is ignored; known sections: \(Self.sections.sorted().joined(separator: ", "))"))
        }
        let api = try file.section("api", known: Self.apiKeys, warnings: &warnings)
        let identity = try file.section("identity", known: Self.identityKeys, warnings: &warnings)
        let ui = try file.section("ui", known: Self.uiKeys, warnings: &warnings)
        let pathsSection = try file.section("paths", known: Self.pathKeys, warnings: &warnings)
        for (inline, fileKey) in [("api_key", "api_key_file"), ("admin_key", "admin_key_file")] where api.values[inline] != nil {
            warnings.append(ConfigWarning(
                path: path, line: api.line(inline),
                message: "[api] \(inline) is ignored: keys are not stored in config.toml; put the key in a file only you can read and set \(fileKey) = \"/path/to/file\""))
        }

        // Paths.
        let dataDir = try pathsSection.path("data_dir", home: home)
            ?? BatchtopPaths.xdg("XDG_DATA_HOME", fallback: ".local/share", environment: environment, home: home)
        let stateDir = try pathsSection.path("state_dir", home: home)
            ?? BatchtopPaths.xdg("XDG_STATE_HOME", fallback: ".local/state", environment: environment, home: home)
        let database: Sourced<URL>
        if let databaseFlag, !databaseFlag.isEmpty {
            database = Sourced(BatchtopPaths.absolute(databaseFlag, cwd: workingDirectory, home: home), .flag("--db"))
        } else if let fromFile = try pathsSection.path("database", home: home) {
            database = fromFile
        } else {
            database = Sourced(dataDir.value.appendingPathComponent(BatchtopPaths.databaseFileName), .derived("data directory"))
        }
        let paths = BatchtopPaths(
            configDirectory: configDir, configFile: configFile, dataDirectory: dataDir, stateDirectory: stateDir,
            database: database)

        // API.
        let baseURL = try resolveBaseURL(api, warnings: &warnings)
        let apiKey = try resolveKey(api, fileKey: "api_key_file", env: "OPENAI_API_KEY", warnings: &warnings)
        let adminKey = try resolveKey(api, fileKey: "admin_key_file", env: "OPENAI_ADMIN_KEY", warnings: &warnings)
        let organization = try api.string("organization") ?? envString("OPENAI_ORG_ID")
        let project = try api.string("project") ?? envString("OPENAI_PROJECT_ID")
        let timeout = try api.number("timeout_seconds", range: 1...3600)
            ?? Sourced(OpenAIClientOptions.defaultTimeoutSeconds, .builtInDefault)
        let retries = try api.integer("max_retries", range: 0...10) ?? Sourced(2, .builtInDefault)

        // Identity and UI.
        let name = try identity.string("name") ?? envString("USER") ?? envString("LOGNAME")
        let theme = try ui.string("theme") ?? Sourced("default", .builtInDefault)
        let readonly = try ui.bool("readonly") ?? Sourced(false, .builtInDefault)

        let spend = try SpendSettings.parse(file, home: home, warnings: &warnings)

        var reserved: [String: ConfigValue] = [:]
        for name in BatchtopConfig.reservedSectionNames { reserved[name] = root[name] }

        return BatchtopConfig(
            paths: paths, configFileExists: exists,
            api: APISettings(
                baseURL: baseURL, apiKey: apiKey, adminKey: adminKey, organization: organization, project: project,
                timeoutSeconds: timeout, maxRetries: retries),
            identity: IdentitySettings(name: name),
            ui: UISettings(theme: theme, readonly: readonly),
            reservedSections: reserved, warnings: warnings, spend: spend)
    }

    private func envString(_ name: String) -> Sourced<String>? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return Sourced(value, .environment(name))
    }

    private func resolveBaseURL(_ api: FileSection, warnings: inout [ConfigWarning]) throws -> Sourced<URL> {
        let raw: Sourced<String>
        if let fromFile = try api.string("base_url") {
            raw = fromFile
        } else if let fromEnv = envString("OPENAI_BASE_URL") {
            raw = fromEnv
        } else {
            return Sourced(OpenAIClientOptions.defaultBaseURL, .builtInDefault)
        }
        let problem: String?
        let url = URL(string: raw.value)
        if let url, let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil {
            problem = nil
        } else {
            // As typed, unless it carries credentials.
            let shown = url.flatMap { $0.user != nil || $0.password != nil ? Secret.maskedURL($0) : nil } ?? raw.value
            problem = "\"\(shown)\" is not an http(s) URL; use e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1"
        }
        if let problem {
            switch raw.source {
            case .environment(let name): throw ConfigError.invalidEnvironment(name: name, message: problem)
            default: throw ConfigError.invalidValue(path: api.path, line: api.line("base_url"), key: "[api] base_url", message: problem)
            }
        }
        let resolved = url!
        let host = resolved.host?.lowercased() ?? ""
        if resolved.scheme?.lowercased() == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            warnings.append(ConfigWarning(
                path: raw.source.description, message: "base URL \(Secret.maskedURL(resolved)) is plain http to a non-local host: the API key would travel unencrypted; use https"))
        }
        return Sourced(resolved, raw.source)
    }

    /// A key from the file named by `fileKey`, else from the environment variable `env`.
    private func resolveKey(
        _ api: FileSection, fileKey: String, env: String, warnings: inout [ConfigWarning]
    ) throws -> Sourced<Secret>? {
        guard let named = try api.path(fileKey, home: home) else {
            return envString(env).map { Sourced(Secret($0.value), $0.source) }
        }
        let keyPath = named.value.path
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        } catch {
            throw ConfigError.unreadableFile(path: keyPath, purpose: "[api] \(fileKey)", reason: Self.reason(error))
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > Self.keyFileLimit {
            throw ConfigError.invalidValue(
                path: api.path, line: api.line(fileKey), key: "[api] \(fileKey)",
                message: "\(keyPath) is \(size) bytes, too big to be a key; point it at a file holding only the key")
        }
        let text: String
        do {
            text = try String(contentsOf: named.value, encoding: .utf8)
        } catch {
            throw ConfigError.unreadableFile(path: keyPath, purpose: "[api] \(fileKey)", reason: Self.reason(error))
        }
        let secret = Secret(text)
        if secret.isEmpty {
            throw ConfigError.invalidValue(
                path: api.path, line: api.line(fileKey), key: "[api] \(fileKey)",
                message: "\(keyPath) is empty; write the key into it (one line)")
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            warnings.append(ConfigWarning(
                path: keyPath,
                message: "key file is readable by group or others (mode \(String(mode & 0o777, radix: 8))); run: chmod 600 \(keyPath)"))
        }
        return Sourced(secret, .keyFile(path: keyPath, key: "[api] \(fileKey) in \(api.path)"))
    }

    static func reason(_ error: Error) -> String { SystemErrorText.reason(error) }
}

/// One table of config.toml with typed, located accessors.
struct FileSection {
    let path: String
    let locator: TOMLLineLocator
    /// The section name, nil for the top level.
    let table: String?
    let values: [String: ConfigValue]

    /// The named sub-table, warning about keys outside `known`.
    func section(_ name: String, known: Set<String>, warnings: inout [ConfigWarning]) throws -> FileSection {
        guard let value = values[name] else {
            return FileSection(path: path, locator: locator, table: name, values: [:])
        }
        guard let table = value.tableValue else {
            throw ConfigError.invalidValue(
                path: path, line: locator.line(of: name, in: nil), key: name,
                message: "expected a table ([\(name)]), found \(value.typeName)")
        }
        let sub = FileSection(path: path, locator: locator, table: name, values: table)
        for key in table.keys.sorted() where !known.contains(key) && key != "api_key" && key != "admin_key" {
            warnings.append(ConfigWarning(
                path: path, line: sub.line(key),
                message: "unknown setting [\(name)] \(key) is ignored; known: \(known.sorted().joined(separator: ", "))"))
        }
        return sub
    }

    func line(_ key: String) -> Int? { locator.line(of: key, in: table) }

    private var source: (String) -> ConfigSource {
        { key in .file(path: path, key: table.map { "\($0).\(key)" } ?? key) }
    }

    private func fail(_ key: String, _ message: String) -> ConfigError {
        .invalidValue(path: path, line: line(key), key: table.map { "[\($0)] \(key)" } ?? key, message: message)
    }

    func string(_ key: String) throws -> Sourced<String>? {
        guard let value = values[key] else { return nil }
        guard let s = value.stringValue else { throw fail(key, "expected a string in quotes, found \(value.typeName) \(value)") }
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail(key, "is empty; remove the line or give a value") }
        return Sourced(s, source(key))
    }

    func bool(_ key: String) throws -> Sourced<Bool>? {
        guard let value = values[key] else { return nil }
        guard let b = value.boolValue else { throw fail(key, "expected true or false, found \(value.typeName) \(value)") }
        return Sourced(b, source(key))
    }

    func integer(_ key: String, range: ClosedRange<Int>) throws -> Sourced<Int>? {
        guard let value = values[key] else { return nil }
        guard let i = value.integerValue else { throw fail(key, "expected a whole number, found \(value.typeName) \(value)") }
        guard range.contains(i) else { throw fail(key, "\(i) is out of range; use \(range.lowerBound) to \(range.upperBound)") }
        return Sourced(i, source(key))
    }

    func number(_ key: String, range: ClosedRange<Double>) throws -> Sourced<Double>? {
        guard let value = values[key] else { return nil }
        guard let d = value.numberValue else { throw fail(key, "expected a number, found \(value.typeName) \(value)") }
        guard range.contains(d) else {
            throw fail(key, "\(d) is out of range; use \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return Sourced(d, source(key))
    }

    /// A path value: `~/` expanded, relative paths taken relative to the config file's directory.
    func path(_ key: String, home: URL) throws -> Sourced<URL>? {
        guard let s = try string(key) else { return nil }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        return Sourced(BatchtopPaths.absolute(s.value, cwd: dir, home: home), s.source)
    }
}
