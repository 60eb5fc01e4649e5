import BatchKit
import Foundation

/// The text `batchtop submit` prints for each outcome; every line is sanitized (a request file's
/// lines and the provider's errors are quoted in it).
enum SubmitText {
    static func lines(_ outcome: SubmissionRunner.Outcome, now: Int64, limitsSource: String) -> [SafeText] {
        switch outcome {
        case .invalid(let report):
            return report.textLines.map { SafeText($0, limit: 2000) }
        case .plan(let plan, _, let reason):
            return ["lane: \(reason)", "enqueued-token limits: \(limitsSource)"]
                + plan.textLines(now: now).map { SafeText($0, limit: 2000) }
                + ["dry run: nothing was uploaded or stored"]
        case .batch(let s, let resumed, let report):
            return ["submission \(s.id)\(resumed ? " (resumed)" : ""): lane \(s.routeReason)",
                    "enqueued-token limits: \(limitsSource)", stepLine(report, now: now)]
                + report.held.sorted { $0.key < $1.key }.map { "  held \($0.key): \($0.value, limit: 1000)" }
                + report.failed.sorted { $0.key < $1.key }.map { "  failed \($0.key): \($0.value, limit: 1000)" }
                + report.errors.sorted { $0.key < $1.key }.map { "  will retry \($0.key): \($0.value, limit: 1000)" }
        case .realtime(let s, let resumed, let r):
            var out: [SafeText] = ["submission \(s.id)\(resumed ? " (resumed)" : ""): lane \(s.routeReason)",
                       "\(r.sent) sent (\(r.succeeded) ok, \(r.failed) failed), \(r.skipped) already answered, results in \(r.resultsPath)"]
            for (model, usage) in r.usageByModel.sorted(by: { $0.key < $1.key }) {
                out.append("  \(model, limit: 64): \(usage.inputTokens) input, \(usage.outputTokens) output tokens")
            }
            return out
        }
    }

    static func stepLine(_ r: SubmissionPump.Report, now: Int64) -> SafeText {
        "created \(r.created.count), held \(r.held.count), re-queued \(r.requeued.count), failed \(r.failed.count), retrying \(r.errors.count)"
    }
}
