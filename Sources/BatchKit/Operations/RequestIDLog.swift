import Foundation
import Synchronization

/// Remembers the provider's `x-request-id` of the latest exchange, for the audit row of an action.
///
/// Wire it as the `OpenAIClient` observer (`observer: log.observe`); the service takes the id after each call.
public final class RequestIDLog: Sendable {
    private let last = Mutex<String?>(nil)
    public init() {}
    /// Records an exchange (the `OpenAIClient` observer).
    public func observe(_ record: APICallRecord) { last.withLock { $0 = record.requestID ?? $0 } }
    /// The latest id, cleared.
    public func take() -> String? { last.withLock { value in defer { value = nil }; return value } }
}
