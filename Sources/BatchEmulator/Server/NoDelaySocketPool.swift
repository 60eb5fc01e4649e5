#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FlyingFox
import FlyingSocks

/// FlyingFox's socket pool with Nagle's algorithm switched off on every socket it sees.
///
/// Why: FlyingFox writes a response's head and body separately; with Nagle on, the body waits for the
/// client's delayed ACK of the head, and every small response takes ~40 ms on Linux. Setting TCP_NODELAY on the
/// listener (inherited by accepted sockets on Linux) and on each connection it suspends removes that stall.
struct NoDelaySocketPool: AsyncSocketPool {
    let base: any AsyncSocketPool

    func prepare() async throws { try await base.prepare() }

    func run() async throws { try await base.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var yes: Int32 = 1
        _ = setsockopt(socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        try await base.suspendSocket(socket, untilReadyFor: events)
    }
}
