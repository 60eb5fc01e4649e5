import Foundation
import Synchronization

/// Remembers the provider's `x-request-id` of the latest exchange, for the audit row of an action.
///
/// Wire it as the `OpenAIClient` observer (`observer: log.observe`); the service takes the id after each call.
public final class RequestIDLog: Sendable {
    private let last = Mutex<String?>(nil)
    public init() {}
    /// Records an exchange (the `OpenAIClient` observer).
    public func observe(_ record: APICallRecord) {
        guard let id = Self.clean(record.requestID) else { return }
        last.withLock { $0 = id }
    }

    /// A request id as the audit keeps it: one sanitized line of at most 128 characters, nil when empty.
    ///
    /// Rule: the header is the provider's text, why: a hostile or broken proxy can put escape
    /// sequences or a megabyte in `x-request-id`, and the audit is kept forever and printed.
    public static func clean(_ id: String?) -> String? {
        guard let id else { return nil }
        let clean = UntrustedText.singleLine(id, limit: 128)
        return clean.isEmpty ? nil : clean
    }
    /// The latest id, cleared.
    public func take() -> String? { last.withLock { value in defer { value = nil }; return value } }
}
