import BatchKit
import Foundation

/// The text form of `batchtop job ID`; every string from the API is sanitized.
enum JobDetailText {
    static func render(_ d: JobRecord, now: Int64, timeZone: TimeZone = .current) -> SafeText {
        let j = d.job
        let b = j.batch
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        func safe(_ s: String?) -> String { s.map { UntrustedText.singleLine($0, limit: 512) } ?? "-" }
        func time(_ t: Int64?) -> String {
            guard let t else { return "-" }
            let when = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
            let delta = now - t
            return delta >= 0 ? "\(when) (\(SyncFreshness.duration(delta)) ago)" : "\(when) (in \(SyncFreshness.duration(-delta)))"
        }
        var fields: [(String, String)] = [
            ("status", StatusStyle.label(b.status) + (b.status.isKnown ? "" : " (unknown to this batchtop; polled as active)")),
            ("workload", safe(j.workload)),
            ("lane", j.lane.rawValue),
            ("local id", safe(j.localID)),
            ("parent job", safe(j.parentJobID)),
            ("model", safe(b.model)),
            ("endpoint", safe(b.endpoint)),
            ("window", safe(b.completionWindow)),
            ("progress", "\(b.requestCounts.completed) done, \(b.requestCounts.failed) failed, \(b.requestCounts.pending) pending of \(b.requestCounts.total)"),
        ]
        if let u = b.usage {
            fields.append(("usage", "input \(u.inputTokens) (cached \(u.cachedInputTokens)), output \(u.outputTokens) (reasoning \(u.reasoningTokens))"))
        } else {
            fields.append(("usage", "-"))
        }
        fields += [
            ("input file", safe(b.inputFileID)),
            ("output file", safe(b.outputFileID)),
            ("error file", safe(b.errorFileID)),
            ("created", time(b.createdAt)),
            ("in progress", time(b.inProgressAt)),
            ("finalizing", time(b.finalizingAt)),
            ("completed", time(b.completedAt)),
            ("failed", time(b.failedAt)),
            ("expired", time(b.expiredAt)),
            ("cancelling", time(b.cancellingAt)),
            ("cancelled", time(b.cancelledAt)),
            ("expires", time(b.expiresAt)),
            ("cancel requested", time(j.cancelRequestedAt)),
            ("missing since", j.missingSince.map { time($0) + "; the provider answers 404 for it, batchtop still checks every few minutes" } ?? "-"),
            ("first seen", time(j.firstSeenAt)),
            ("last polled", time(j.lastPolledAt)),
        ]
        for key in b.metadata.keys.sorted() {
            fields.append(("metadata", "\(safe(key)) = \(safe(b.metadata[key]))"))
        }
        var out = "job \(safe(j.id))\n"
        let width = fields.map(\.0.count).max() ?? 0
        for (name, value) in fields {
            out += "  " + name + String(repeating: " ", count: width - name.count) + "  " + value + "\n"
        }
        out += "\ntimeline\n"
        if d.transitions.isEmpty { out += "  (none recorded)\n" }
        for t in d.transitions {
            let from = t.from.map { UntrustedText.singleLine($0.rawValue, limit: 32) + " -> " } ?? "first seen "
            let source = t.atIsProviderTime ? "provider time" : "observed"
            out += "  \(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t.at))))  \(from)\(StatusStyle.label(t.to))  (\(source))\n"
        }
        if !b.errors.isEmpty {
            out += "\nbatch errors\n"
            for e in b.errors {
                let line = e.line.map { "line \($0): " } ?? ""
                out += "  \(line)\(safe(e.code)): \(safe(e.message))" + (e.param.map { " (param \(safe($0)))" } ?? "") + "\n"
            }
        }
        out += "\nfiles\n"
        if d.files.isEmpty { out += "  (none downloaded yet)\n" }
        for f in d.files {
            var line = "  \(f.kind.rawValue)  \(safe(f.fileID))  \(f.status.rawValue)"
            if let bytes = f.bytes { line += "  \(bytes) bytes" }
            if let sha = f.sha256 { line += "  sha256 \(sha)" }
            if let path = f.localPath { line += "  \(safe(path))" }
            if f.status != .downloaded { line += "  (attempts \(f.attempts)\(f.lastError.map { ", last error: \(safe($0))" } ?? ""))" }
            out += line + "\n"
        }
        // Every value above is sanitized one by one; this keeps the layout's own newlines only.
        return SafeText(lines: out)
    }
}
