/// A batch input file could not be read at all (as opposed to being read and found wrong).
public struct InputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Operation: String, Sendable, Hashable { case open, read, write, stat, changed }

    public var operation: Operation
    public var path: String
    /// The `errno` value.
    public var code: Int32

    public init(_ operation: Operation, path: String, code: Int32) {
        self.operation = operation; self.path = path; self.code = code
    }

    public var description: String {
        let reason = String(cString: strerror(code))
        switch operation {
        case .open: return "cannot open \(path): \(reason); check the path and its permissions"
        case .read: return "cannot read \(path): \(reason)"
        case .write: return "cannot write \(path): \(reason); check free space and permissions"
        case .stat: return "cannot inspect \(path): \(reason)"
        case .changed: return "\(path) changed since it was validated (size or modification time differ); validate it again"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
