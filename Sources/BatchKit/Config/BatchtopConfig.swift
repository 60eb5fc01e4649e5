import Foundation

/// batchtop's resolved configuration: every setting with its source, plus the warnings met on the way.
///
/// Built by `ConfigLoader`. The config file overrides the environment, which overrides defaults; flags
/// override everything they name.
public struct BatchtopConfig: Sendable {
    /// Resolved directories and files.
    public var paths: BatchtopPaths
    /// Whether the config file exists (a missing file at the default location is fine).
    public var configFileExists: Bool
    /// Provider access.
    public var api: APISettings
    /// Who is operating, for audit rows and approvals.
    public var identity: IdentitySettings
    /// Terminal UI settings.
    public var ui: UISettings
    /// Top-level sections later features own (`approvals`, `routing`, `budgets`, `prices`), unparsed.
    ///
    /// Rule: kept raw rather than half-modelled, why: the code that gives them behaviour also owns their
    /// validation; until then nothing pretends to honour them.
    public var reservedSections: [String: ConfigValue]
    /// Non-fatal problems, to print once at start-up.
    public var warnings: [ConfigWarning]
    /// `[spend]`, `[budgets.<lane>]` and `[prices]`: time zone, budgets, user price file.
    public var spend = SpendSettings()

    /// The section names batchtop reserves for later features.
    public static let reservedSectionNames: Set<String> = ["approvals", "routing", "budgets", "prices", "lanes"]

    /// The API key, or the "no key configured" error naming every way to provide one.
    public func requireAPIKey() throws -> Secret {
        guard let key = api.apiKey?.value, !key.isEmpty else {
            throw ConfigError.noAPIKey(configFile: paths.configFile.value.path)
        }
        return key
    }

    /// Options for `OpenAIClient` from this configuration.
    /// - Throws: `ConfigError.noAPIKey` when no key is configured.
    public func clientOptions() throws -> OpenAIClientOptions {
        OpenAIClientOptions(
            baseURL: api.baseURL.value, apiKey: try requireAPIKey(), organization: api.organization?.value,
            project: api.project?.value, timeoutSeconds: api.timeoutSeconds.value,
            retry: RetryPolicy(maxRetries: api.maxRetries.value),
            stagingDirectory: paths.dataDirectory.value.appendingPathComponent("tmp"))
    }
}

/// The `[api]` section merged with `OPENAI_*` variables.
public struct APISettings: Sendable {
    /// `base_url` / `OPENAI_BASE_URL`.
    public var baseURL: Sourced<URL>
    /// `api_key_file` / `OPENAI_API_KEY`.
    public var apiKey: Sourced<Secret>?
    /// `admin_key_file` / `OPENAI_ADMIN_KEY`: for organization usage and costs only.
    public var adminKey: Sourced<Secret>?
    /// `organization` / `OPENAI_ORG_ID`.
    public var organization: Sourced<String>?
    /// `project` / `OPENAI_PROJECT_ID`.
    public var project: Sourced<String>?
    /// `timeout_seconds`.
    public var timeoutSeconds: Sourced<Double>
    /// `max_retries`.
    public var maxRetries: Sourced<Int>

    /// Every configured credential (the keys and a password in the base URL), for `redact`ing text
    /// a person typed (a reason, a comment) before it is stored.
    public var secrets: [Secret] {
        var out = [apiKey?.value, adminKey?.value].compactMap { $0 }
        if let password = baseURL.value.password, !password.isEmpty { out.append(Secret(password)) }
        return out
    }
}

/// The `[identity]` section.
public struct IdentitySettings: Sendable {
    /// `name`, else `$USER` / `$LOGNAME`; nil when none is known.
    public var name: Sourced<String>?
}

/// The `[ui]` section.
public struct UISettings: Sendable {
    /// `theme`: a theme name or a path to a theme file.
    public var theme: Sourced<String>
    /// `readonly`: remove every write action.
    public var readonly: Sourced<Bool>
}
