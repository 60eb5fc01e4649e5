/// Where a resolved setting came from, so `batchtop info` can say why a value is what it is.
public enum ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// A command-line flag (`--config`).
    case flag(String)
    /// An environment variable.
    case environment(String)
    /// A key in the config file.
    case file(path: String, key: String)
    /// A key file named by a config-file key (`api_key_file`).
    case keyFile(path: String, key: String)
    /// Derived from another setting (e.g. the database inside the data directory).
    case derived(String)
    /// batchtop's built-in default.
    case builtInDefault

    public var description: String {
        switch self {
        case .flag(let name): return "flag \(name)"
        case .environment(let name): return "env \(name)"
        case .file(let path, let key): return "\(path) [\(key)]"
        case .keyFile(let path, let key): return "key file \(path) (from \(key))"
        case .derived(let from): return "derived from \(from)"
        case .builtInDefault: return "default"
        }
    }
}

/// A resolved setting and where it came from.
public struct Sourced<Value: Sendable>: Sendable {
    /// The value in effect.
    public var value: Value
    /// Where it came from.
    public var source: ConfigSource

    public init(_ value: Value, _ source: ConfigSource) {
        self.value = value; self.source = source
    }
}

extension Sourced: Equatable where Value: Equatable {}
extension Sourced: Hashable where Value: Hashable {}
