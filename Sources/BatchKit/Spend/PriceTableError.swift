/// Why a price file could not be used: what went wrong, where, and how to fix it.
public struct PriceTableError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read.
        case unreadableFile
        /// The text is not valid TOML.
        case invalidTOML
        /// A key the format does not know (typos must not silently drop a price).
        case unknownKey
        /// A value of the wrong type or not a valid price.
        case invalidValue
        /// A lane with only some of its required rates.
        case incompleteRow
    }

    /// The kind of failure.
    public var code: Code
    /// The file (path, or `built-in` for the shipped table).
    public var source: String
    /// The key path inside the file, e.g. `models."gpt-4o".batch_input`.
    public var key: String?
    /// What is wrong and how to fix it.
    public var message: String

    public init(code: Code, source: String, key: String? = nil, message: String) {
        self.code = code; self.source = source; self.key = key; self.message = message
    }

    public var description: String {
        "price table \(source)\(key.map { " at \($0)" } ?? ""): \(message)"
    }
}
