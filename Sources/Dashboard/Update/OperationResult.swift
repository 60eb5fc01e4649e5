/// The outcome of a write effect, posted back by the runtime.
public struct OperationResult: Hashable, Sendable {
    /// The effect that ran.
    public var effect: Effect
    /// Whether it worked.
    public var succeeded: Bool
    /// What happened, for the toast ("cancel requested for 3 jobs", or the error with its fix).
    public var message: String

    public init(effect: Effect, succeeded: Bool, message: String) {
        self.effect = effect; self.succeeded = succeeded; self.message = message
    }
}
