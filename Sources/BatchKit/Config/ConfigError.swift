import Foundation

/// A configuration problem that stops batchtop: each case says which file, where, and how to fix it.
public enum ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// config.toml is not valid TOML.
    case syntax(path: String, line: Int, column: Int, message: String)
    /// A key has the wrong type or an unusable value.
    case invalidValue(path: String, line: Int?, key: String, message: String)
    /// A file named by `--config` or a `*_file` key cannot be read.
    case unreadableFile(path: String, purpose: String, reason: String)
    /// An environment variable has an unusable value.
    case invalidEnvironment(name: String, message: String)
    /// No API key anywhere; `configFile` is where one could be configured.
    case noAPIKey(configFile: String)

    public var description: String {
        switch self {
        case .syntax(let path, let line, let column, let message):
            return "\(path):\(line):\(column): config.toml is not valid TOML: \(message). Fix the syntax at that line (strings need quotes, tables are [name], keys are key = value)."
        case .invalidValue(let path, let line, let key, let message):
            return "\(path)\(line.map { ":\($0)" } ?? ""): \(key): \(message)."
        case .unreadableFile(let path, let purpose, let reason):
            return "cannot read \(purpose) \(path): \(reason). Check that the file exists and is readable."
        case .invalidEnvironment(let name, let message):
            return "environment variable \(name): \(message)."
        case .noAPIKey(let configFile):
            return """
                No OpenAI API key is configured.
                  Set OPENAI_API_KEY (and, if needed, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_BASE_URL), or
                  put api_key_file = "/path/to/key" under [api] in \(configFile) (a file readable only by you).
                  To look around without a key, run `batchtop demo`.
                """
        }
    }
}

extension ConfigError: LocalizedError {
    public var errorDescription: String? { description }
}
