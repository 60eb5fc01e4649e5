import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who a process is beyond its pid: which boot of which kernel, which pid namespace, and when it started.
///
/// Rule: a pid alone never proves a lease holder alive or dead, why: a killed process that nobody
/// reaped is a zombie that `kill(pid, 0)` still finds, a pid is reused by an unrelated process, and a
/// process in another pid namespace (a container sharing the host name) has a pid that means nothing
/// here. With the boot id, the pid namespace and the start time, "same process" can be decided exactly
/// (Linux `/proc`); elsewhere every field is nil and only the lease's heartbeat is trusted.
public struct ProcessIdentity: Sendable, Hashable {
    /// `/proc/sys/kernel/random/boot_id`: changes at every boot.
    public var bootID: String
    /// The pid namespace (`/proc/self/ns/pid`, e.g. `pid:[4026531836]`).
    public var pidNamespace: String
    /// When the process started, in clock ticks since boot (`/proc/PID/stat` field 22).
    public var startTicks: Int64

    public init(bootID: String, pidNamespace: String, startTicks: Int64) {
        self.bootID = bootID; self.pidNamespace = pidNamespace; self.startTicks = startTicks
    }

    /// This process's identity; nil where `/proc` does not say (not Linux, or /proc not mounted).
    public static func current() -> ProcessIdentity? {
        guard let boot = bootID(), let namespace = link("/proc/self/ns/pid"),
              let start = status(pid: Int(getpid()))?.startTicks else { return nil }
        return ProcessIdentity(bootID: boot, pidNamespace: namespace, startTicks: start)
    }

    /// The boot id of the running kernel, or nil.
    static func bootID() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// The domain in which this process's monotonic readings compare with another's: the same boot and
    /// time namespace (CLOCK_MONOTONIC is shared by every process there); nil when unknown.
    static func monotonicDomain() -> String? {
        guard let boot = bootID() else { return nil }
        return boot + "/" + (link("/proc/self/ns/time") ?? "time")
    }

    /// What `/proc/PID/stat` says of a pid: its state letter and start time; nil when there is no such process.
    static func status(pid: Int) -> (state: Character, startTicks: Int64)? {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) " the fields are space-separated; comm itself may hold spaces or parentheses.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let start = Int64(fields[19]) else { return nil }
        return (state, start)
    }

    private static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether process `pid` of this identity's boot and namespace is gone: no such pid, a zombie
    /// (killed, not yet reaped), or another process that reuses the pid (a different start time).
    /// Only meaningful when `sameMachineAndNamespace(as:)` holds for the asking process.
    func isGone(pid: Int) -> Bool {
        guard let now = Self.status(pid: pid) else {
            // No /proc entry: gone if the kernel agrees (a /proc we cannot read proves nothing).
            return kill(pid_t(pid), 0) == -1 && errno == ESRCH
        }
        return now.state == "Z" || now.state == "X" || now.startTicks != startTicks
    }

    /// Whether pids of `other` mean the same processes as pids seen by this one.
    func sharesPids(with other: ProcessIdentity) -> Bool {
        bootID == other.bootID && pidNamespace == other.pidNamespace
    }
}
