/// A batch input file could not be read at all (as opposed to being read and found wrong).
public struct InputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Operation: String, Sendable, Hashable {
        case open, read, write, stat, changed
        /// Not a regular file (a device, a FIFO, a socket, a directory): `detail` names what it is.
        case notRegularFile
        /// Larger than `InputFileValidator.maxFileBytes`: `detail` gives the size found.
        case tooLarge
    }

    public var operation: Operation
    public var path: String
    /// The `errno` value.
    public var code: Int32
    /// What was found, for `notRegularFile` and `tooLarge`.
    public var detail: String

    public init(_ operation: Operation, path: String, code: Int32, detail: String = "") {
        self.operation = operation; self.path = path; self.code = code; self.detail = detail
    }

    public var description: String {
        let reason = String(cString: strerror(code))
        switch operation {
        case .open: return "cannot open \(path): \(reason); check the path and its permissions"
        case .read: return "cannot read \(path): \(reason)"
        case .write: return "cannot write \(path): \(reason); check free space and permissions"
        case .stat: return "cannot inspect \(path): \(reason)"
        case .changed: return "\(path) changed since it was validated (size or modification time differ); validate it again"
        case .notRegularFile:
            return "cannot submit \(path): it is \(detail), not a regular file; batchtop reads the requests twice "
                + "(to check them, then to upload each chunk), so save them to a file first (e.g. `cat ... > requests.jsonl`)"
        case .tooLarge:
            return "cannot submit \(path): \(detail); split it into smaller files (e.g. `split -l 100000 \(path) part-`) and submit each"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
