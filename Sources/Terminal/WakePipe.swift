import Glibc

/// A self-pipe that ends the terminal's wait for input from another thread.
///
/// Why: the runtime waits for keys with a timeout; without a wake-up, data posted by the backend
/// (the first job list, a cycle's changes) would sit in the mailbox until the timeout ran out.
public final class WakePipe: Sendable {
    /// The end the terminal polls.
    let readFD: Int32
    private let writeFD: Int32

    /// Nil when the process is out of file descriptors; the terminal then just waits out its timeout.
    public init?() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        readFD = fds[0]; writeFD = fds[1]
        // Non-blocking both ways: a wake never blocks its caller, a drain never blocks the loop.
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    /// Wakes the waiting terminal; callable from any thread. A full pipe already means "wake".
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    /// Empties the pipe after a wake-up, so the next wait blocks again.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readFD, &buffer, buffer.count) > 0 {}
    }
}
