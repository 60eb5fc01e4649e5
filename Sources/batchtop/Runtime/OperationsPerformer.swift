import BatchKit
import Dashboard

/// The dashboard's write effects performed through BatchKit operations.
enum OperationsPerformer {
    /// The performer for an environment, or nil when the dashboard is read-only.
    static func make(environment: AppEnvironment, readOnly: Bool) -> EffectPerformer? {
        nil
    }
}
