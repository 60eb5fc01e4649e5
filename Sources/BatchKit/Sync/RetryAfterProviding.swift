import Foundation

/// An error that says how long to wait before trying again (HTTP `Retry-After` / `retry-after-ms`).
///
/// The API client's error type adopts it; the sync worker honours it, capped by `SyncPolicy`.
public protocol RetryAfterProviding: Error {
    /// Seconds the server asked us to wait, if it said.
    var retryAfter: TimeInterval? { get }
}
