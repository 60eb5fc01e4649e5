import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Operating-system and Foundation file errors in operator words: the path and the OS reason.
///
/// Rule: every file error shown to a person goes through here, why: Foundation on Linux describes
/// its file errors as "The operation could not be completed. (NSCocoaErrorDomain error 256.)",
/// which names neither the file nor the cause.
public enum SystemErrorText {
    /// The OS reason ("permission denied", "no space left on device", "is a directory"); for an error
    /// that is not a file error, its own description.
    public static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return posixReason(posix.code.rawValue) }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return posixReason(Int32(truncatingIfNeeded: ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return posixReason(Int32(truncatingIfNeeded: underlying.code))
        }
        guard ns.domain == NSCocoaErrorDomain else { return String(describing: error) }
        switch ns.code {
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "no such file or directory"
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return "permission denied"
        case NSFileWriteOutOfSpaceError: return "no space left on device"
        case NSFileWriteVolumeReadOnlyError: return "read-only file system"
        case NSFileWriteFileExistsError: return "a file with that name already exists"
        case NSFileReadTooLargeError: return "the file is too large to read"
        case NSFileReadInapplicableStringEncodingError, NSFileReadUnknownStringEncodingError: return "not UTF-8 text"
        case NSFileReadCorruptFileError: return "the contents cannot be read"
        case NSFileWriteInvalidFileNameError, NSFileReadInvalidFileNameError: return "not a valid file name"
        default:
            if let text = ns.userInfo[NSLocalizedDescriptionKey] as? String, !text.isEmpty,
               !text.hasPrefix("The operation could not be completed") {
                return text
            }
            let what = ns.code >= NSFileWriteUnknownError ? "the write failed" : "the read failed"
            return "\(what) (Foundation file error \(ns.code): the path may be a directory, or on a full or unavailable disk)"
        }
    }

    /// "cannot write /data/x.jsonl: no space left on device"; `path` defaults to the one the error names.
    public static func describe(_ error: any Error, cannot verb: String, path: String? = nil) -> String {
        let named = path ?? filePath(of: error)
        return "cannot \(verb)\(named.map { " \($0)" } ?? ""): \(reason(error))"
    }

    /// A file error with the path it names, or any other error's description.
    public static func describe(_ error: any Error) -> String {
        guard isFileError(error) else { return String(describing: error) }
        return filePath(of: error).map { "\($0): \(reason(error))" } ?? reason(error)
    }

    /// Whether the error comes from the file system (Foundation file errors, POSIX errors).
    public static func isFileError(_ error: any Error) -> Bool {
        if error is POSIXError || error is CocoaError { return true }
        let domain = (error as NSError).domain
        return domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain
    }

    /// The path a Foundation error names, if any.
    public static func filePath(of error: any Error) -> String? {
        let info = (error as NSError).userInfo
        if let path = info[NSFilePathErrorKey] as? String, !path.isEmpty { return path }
        if let url = info[NSURLErrorKey] as? URL, url.isFileURL { return url.path }
        return nil
    }

    static func posixReason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
