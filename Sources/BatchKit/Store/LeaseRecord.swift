import Foundation

/// The poller lease: which process may call the API for this database, and until when.
public struct LeaseRecord: Sendable, Hashable {
    /// A process-unique id of the holder (not secret).
    public var holderID: String
    public var pid: Int
    public var host: String
    public var acquiredAt: Int64
    public var expiresAt: Int64

    public init(holderID: String, pid: Int, host: String, acquiredAt: Int64, expiresAt: Int64) {
        self.holderID = holderID; self.pid = pid; self.host = host
        self.acquiredAt = acquiredAt; self.expiresAt = expiresAt
    }

    /// `holder@host pid N`, for messages.
    public var label: String { "\(holderID)@\(host) pid \(pid)" }
}

/// Who is asking for the lease.
public struct LeaseClaimant: Sendable, Hashable {
    public var holderID: String
    public var pid: Int
    public var host: String

    public init(holderID: String, pid: Int, host: String) {
        self.holderID = holderID; self.pid = pid; self.host = host
    }

    /// This process, with a fresh random holder id.
    public static func currentProcess() -> LeaseClaimant {
        LeaseClaimant(holderID: String(UUID().uuidString.prefix(8)).lowercased(),
                      pid: Int(ProcessInfo.processInfo.processIdentifier), host: ProcessInfo.processInfo.hostName)
    }
}

/// The result of asking for the lease.
public enum LeaseOutcome: Sendable, Hashable {
    /// The claimant holds the lease until the given time (newly taken, renewed or taken over).
    case held(LeaseRecord)
    /// Someone else holds an unexpired lease.
    case heldByOther(LeaseRecord)
}

extension LeaseRecord {
    /// Whether the holder is a process on the claimant's own host that no longer exists.
    ///
    /// Rule: a dead holder on this host is replaced at once rather than when its lease expires, why:
    /// a crashed or killed batchtop would otherwise block every other poller of this database for
    /// minutes. A holder on another host can only be judged by its expiry.
    func holderIsGone(from claimant: LeaseClaimant) -> Bool {
        guard host == claimant.host, pid > 0, pid != claimant.pid else { return false }
        return kill(pid_t(pid), 0) == -1 && errno == ESRCH
    }
}
