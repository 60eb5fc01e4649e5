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
                Console.warn("audit chain BROKEN at \(failure.description); \(check.rowCount) rows checked")
                throw ExitCode(1)
            }
            return say("audit chain intact: \(check.rowCount) rows verified")
        }
        let from = try since.map { try SinceArgument.parse($0, now: SystemClock().unixNow()) }
        let rows = try store.auditRecords(since: from, target: target)
        if json { return try printJSON(AuditJSON(rows: rows)) }
        if rows.isEmpty { return say("no audit rows") }
        for r in rows { say(Self.line(r)) }
    }

    /// One audit row as a line; every field is sanitized and values are cut to a bound.
    static func line(_ r: AuditRecord) -> SafeText {
        var line: SafeText = "\(r.id) \(DecisionsCommand.stamp(r.at)) \(r.actor, limit: 80) \(r.action, limit: 80) \(r.targets.joined(separator: ","), limit: 300): \(r.outcome, limit: 300)"
        for name in r.parameters.keys.sorted() { line += " \(name, limit: 40)=\(r.parameters[name] ?? "", limit: 80)" }
        if let id = r.providerRequestID { line += " [request \(id, limit: 80)]" }
        return line
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
