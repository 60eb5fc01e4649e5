import BatchKit
import Dashboard

/// The dashboard's write effects performed by the same `OperationsService` the commands use.
struct OperationsPerformer: EffectPerformer {
    let service: OperationsService

    func perform(_ effect: Effect) async -> OperationResult {
        await service.perform(effect)
            ?? OperationResult(effect: effect, succeeded: false, message: "\(effect) is not an operator action")
    }

    /// The performer for an environment, or nil when the dashboard is read-only or has no identity.
    static func make(environment: AppEnvironment, readOnly: Bool) -> EffectPerformer? {
        guard !readOnly, let service = environment.operations else { return nil }
        return OperationsPerformer(service: service)
    }
}
