/// Something in the configuration that works but deserves attention (unknown key, readable key file).
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// The file the warning is about.
    public var path: String
    /// The line in that file, when known.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    public init(path: String, line: Int? = nil, message: String) {
        self.path = path; self.line = line; self.message = message
    }

    public var description: String {
        "warning: \(path)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
