import FlyingFox

/// A response payload that closes the connection before a single byte is written.
///
/// Why a WebSocket handler: FlyingFox writes the status line before any HTTP body, but asks a WebSocket
/// handler for its frames before writing anything; throwing there makes the server close the socket silently,
/// which is exactly what a client sees when a connection drops.
struct DropConnection: WSHandler {
    struct Dropped: Error {}

    func makeFrames(for client: AsyncThrowingStream<WSFrame, any Error>) async throws -> AsyncStream<WSFrame> {
        throw Dropped()
    }

    static var response: HTTPResponse { HTTPResponse(webSocket: DropConnection()) }
}
