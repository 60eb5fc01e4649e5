import Foundation

/// The poller lease: which process may call the API for this database.
///
/// Rule: whether a lease is still held is never judged by comparing the holder's wall time with the
/// claimant's, why: a holder whose clock ran 3 h ahead left a lease nobody took for 3 h, and one whose
/// clock runs behind would be taken over while alive. A lease ends when it is released, when its holder
/// is provably gone (same machine and pid namespace: see `ProcessIdentity`), or when its `heartbeat`
/// has not moved for `ttlSeconds` as measured on the claimant's own monotonic clock.
/// `expiresAt` is the holder's own estimate, kept for people to read.
public struct LeaseRecord: Sendable, Hashable {
    /// A process-unique id of the holder (not secret).
    public var holderID: String
    public var pid: Int
    public var host: String
    public var acquiredAt: Int64
    /// When the holder expects to renew by, on the holder's wall clock (shown, never compared).
    public var expiresAt: Int64
    /// Raised by every renewal; a claimant that sees it stand still for `ttlSeconds` takes over.
    public var heartbeat: Int64
    /// How long the holder may go without renewing: a duration, so no clock skew enters it.
    public var ttlSeconds: Int64
    /// The holder's process identity, when its platform tells it.
    public var process: ProcessIdentity?

    public init(holderID: String, pid: Int, host: String, acquiredAt: Int64, expiresAt: Int64,
                heartbeat: Int64 = 0, ttlSeconds: Int64? = nil, process: ProcessIdentity? = nil) {
        self.holderID = holderID; self.pid = pid; self.host = host
        self.acquiredAt = acquiredAt; self.expiresAt = expiresAt
        self.heartbeat = heartbeat; self.ttlSeconds = max(1, ttlSeconds ?? (expiresAt - acquiredAt))
        self.process = process
    }

    /// `holder@host pid N`, for messages.
    public var label: String { "\(holderID)@\(host) pid \(pid)" }
}

/// Who is asking for the lease.
public struct LeaseClaimant: Sendable, Hashable {
    public var holderID: String
    public var pid: Int
    public var host: String
    /// This process's identity (boot, pid namespace, start time); nil when unknown.
    public var process: ProcessIdentity?
    /// Which monotonic clock this claimant's readings come from: claimants of one domain share their
    /// observations of a holder's heartbeat (a one-shot `sync --once` continues what the last one saw).
    public var monotonicDomain: String

    public init(holderID: String, pid: Int, host: String, process: ProcessIdentity? = nil, monotonicDomain: String? = nil) {
        self.holderID = holderID; self.pid = pid; self.host = host; self.process = process
        // Unknown: this process alone, why: readings of two processes whose clocks may differ never mix.
        self.monotonicDomain = monotonicDomain ?? "process/\(host)/\(pid)/\(holderID)"
    }

    /// This process, with a fresh random holder id.
    public static func currentProcess() -> LeaseClaimant {
        LeaseClaimant(holderID: String(UUID().uuidString.prefix(8)).lowercased(),
                      pid: Int(ProcessInfo.processInfo.processIdentifier), host: ProcessInfo.processInfo.hostName,
                      process: .current(), monotonicDomain: ProcessIdentity.monotonicDomain())
    }
}

/// The result of asking for the lease.
public enum LeaseOutcome: Sendable, Hashable {
    /// The claimant holds the lease (newly taken, renewed or taken over).
    case held(LeaseRecord)
    /// Someone else holds a live lease.
    case heldByOther(LeaseRecord)
}

extension LeaseRecord {
    /// Whether the holder is a process on the claimant's own machine that no longer exists.
    ///
    /// Rule: a dead holder on this machine is replaced at once, whatever its `expiresAt` says, why: a
    /// crashed or killed batchtop would otherwise block every other poller of this database. "Dead"
    /// includes a zombie and a pid now used by another process (see `ProcessIdentity`). A holder on
    /// another machine (or pid namespace) cannot be judged by its pid: only its heartbeat counts.
    func holderIsGone(from claimant: LeaseClaimant) -> Bool {
        guard pid > 0 else { return false }
        if let mine = claimant.process, let theirs = process {
            return mine.sharesPids(with: theirs) && theirs.isGone(pid: pid)
        }
        // A row without identity (written before schema 8, or on a platform without /proc): the host
        // name is all there is, and the pid is checked as well as can be.
        guard host == claimant.host, pid != claimant.pid else { return false }
        if let seen = ProcessIdentity.status(pid: pid) { return seen.state == "Z" || seen.state == "X" }
        return kill(pid_t(pid), 0) == -1 && errno == ESRCH
    }
}
