import ArgumentParser
import BatchKit
import Foundation

/// `batchtop audit [--since D] [--json] [--verify]`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the append-only audit trail, or verify its hash chain.")

    @Option(name: .long, help: ArgumentHelp("Only rows since a duration (24h, 7d), date or time.", valueName: "when")) var since: String?
    @Option(name: .long, help: ArgumentHelp("Only rows naming this job, decision or workload.", valueName: "id")) var target: String?
    @Flag(name: .long, help: "Write JSON (batchtop.audit/v1).") var json = false
    @Flag(name: .long, help: "Recompute every row's hash and link; exit 1 if any row was tampered with.") var verify = false
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let store = try database.openExisting()
        if verify {
            let check = try store.verifyAudit()
            if let failure = check.firstFailure {
                FileHandle.standardError.write(Data("audit chain BROKEN at \(failure.description); \(check.rowCount) rows checked\n".utf8))
                throw ExitCode(1)
            }
            return say("audit chain intact: \(check.rowCount) rows verified")
        }
        let from = try since.map { try SinceArgument.parse($0, now: SystemClock().unixNow()) }
        let rows = try store.auditRecords(since: from, target: target)
        if json { return try printJSON(AuditJSON(rows: rows)) }
        if rows.isEmpty { return say("no audit rows") }
        for r in rows {
            var line = "\(r.id) \(DecisionsCommand.stamp(r.at)) \(r.actor) \(r.action) \(r.targets.joined(separator: ",")): \(UntrustedText.singleLine(r.outcome, limit: 300))"
            if !r.parameters.isEmpty { line += " " + r.parameters.keys.sorted().map { "\($0)=\(UntrustedText.singleLine(r.parameters[$0]!, limit: 80))" }.joined(separator: " ") }
            if let id = r.providerRequestID { line += " [request \(id)]" }
            say(line)
        }
    }
}

/// The `batchtop audit --json` document.
struct AuditJSON: Encodable {
    var schema = "batchtop.audit/v1"
    var rows: [Row]
    init(rows: [AuditRecord]) { self.rows = rows.map(Row.init) }
    struct Row: Encodable {
        var id, at: Int64
        var actor, action, outcome, hash: String
        var targets: [String]
        var parameters: [String: String]
        var providerRequestID, prevHash: String?
        init(_ r: AuditRecord) {
            id = r.id; at = r.at; actor = r.actor; action = r.action; outcome = r.outcome; hash = r.hash
            targets = r.targets; parameters = r.parameters; providerRequestID = r.providerRequestID; prevHash = r.prevHash
        }
        enum CodingKeys: String, CodingKey {
            case id, at, actor, action, outcome, hash, targets, parameters
            case providerRequestID = "provider_request_id", prevHash = "prev_hash"
        }
    }
}
