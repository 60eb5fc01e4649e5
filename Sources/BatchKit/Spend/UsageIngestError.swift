/// Why a usage file could not be read at all (unreadable lines are counted, not errors).
public struct UsageIngestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file's path.
    public var path: String
    /// What failed and how to fix it.
    public var message: String
    /// The `errno` value, when the failure came from the system.
    public var errno: Int32?

    public init(path: String, message: String, errno: Int32? = nil) {
        self.path = path; self.message = message; self.errno = errno
    }

    public var description: String { "usage file \(path): \(message)" }
}
