import Glibc
import Testing
@testable import Terminal

/// The wake-up that ends the terminal's wait when the backend posts data.
@Suite struct WakePipeTests {
    func readable(_ pipe: WakePipe) -> Bool {
        var fd = pollfd(fd: pipe.readFD, events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) == 1
    }

    @Test func wakeMakesTheWaitEndAndDrainRearmsIt() throws {
        let pipe = try #require(WakePipe())
        #expect(!readable(pipe))
        pipe.wake()
        #expect(readable(pipe))
        pipe.drain()
        #expect(!readable(pipe), "after a drain the next wait blocks again")
    }

    @Test func wakingFarMoreOftenThanTheLoopReadsNeverBlocks() throws {
        let pipe = try #require(WakePipe())
        // Far beyond a pipe's buffer: a full pipe already means "wake", so the writer must not block.
        for _ in 0..<200_000 { pipe.wake() }
        #expect(readable(pipe))
        pipe.drain()
        #expect(!readable(pipe))
    }
}
