import ArgumentParser
import BatchKit
import Foundation

/// `batchtop audit [--since D] [--target ID] [--json] | --verify [--expect-head H] | --head`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the append-only audit trail, verify its signed hash chain, or print its head.",
        discussion: """
            Rows are hash-chained and signed with the audit key (`batchtop info` shows where it is; keep it, \
            it is not in the database). --verify exits 1 naming the first rewritten, unsigned or missing row. \
            Keep the output of --head outside this machine (a ticket, a log, CI) and check it later with \
            --verify --expect-head "N HASH": that also catches a chain cut back to an earlier state.
            """)

    @Option(name: .long, help: ArgumentHelp("Only rows since a duration (24h, 7d), date or time.", valueName: "when")) var since: String?
    @Option(name: .long, help: ArgumentHelp("Only rows naming this job, decision or workload.", valueName: "id")) var target: String?
    @Flag(name: .long, help: "Write JSON (batchtop.audit/v1; with --head batchtop.audit-head/v1).") var json = false
    @Flag(name: .long, help: "Recompute every row's hash, link and signature and the row count; exit 1 if anything was tampered with.") var verify = false
    @Option(name: .long, help: ArgumentHelp(
        "With --verify: a head printed earlier by --head (N HASH) the chain must still contain.", valueName: "head")) var expectHead: String?
    @Flag(name: .long, help: "Print the chain's head: the last row's sequence number and hash (N HASH).") var head = false
    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if expectHead != nil && !verify { throw ValidationError("--expect-head needs --verify") }
        if let expectHead, AuditHead.parse(expectHead) == nil {
            throw ValidationError("--expect-head \(expectHead.debugDescription) is not a head; pass what `batchtop audit --head` printed: N HASH (64 hex digits)")
        }
        if head && verify { throw ValidationError("--head and --verify are separate runs; verify first, then print the head") }
    }

    func run() async throws {
        let store = try database.openExisting(configFlag: configOptions.config)
        if head {
            let h = try store.auditHead()
            if json { return try printJSON(HeadJSON(sequence: h.sequence, hash: h.hash)) }
            return say("\(h.description)")
        }
        if verify { return try runVerify(store) }
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

    private func runVerify(_ store: BatchStore) throws {
        let check = try store.verifyAudit(expecting: expectHead.flatMap(AuditHead.parse))
        for r in check.restorations {
            Console.warn("batchtop: warning: row \(r.rowID) \(DecisionsCommand.stamp(r.at)): \(r.outcome, limit: 300) (someone with write access to the database dropped or changed them)")
        }
        if !check.missingProtections.isEmpty {
            Console.warn("batchtop: warning: audit protection triggers missing or altered now: \(check.missingProtections.joined(separator: ", ")) (this database could not be written to restore them)")
        }
        if let keyWarning = check.keyWarning { Console.warn("batchtop: warning: \(keyWarning)") }
        if let failure = check.firstFailure {
            let place = failure.rowID == nil ? ":" : " at"
            Console.warn("audit chain BROKEN\(place) \(failure.description, limit: 600); \(check.rowCount) rows checked")
            throw ExitCode(1)
        }
        say("\(check.summary)")
    }
}

/// The `batchtop audit --head --json` document.
struct HeadJSON: Encodable {
    var schema = "batchtop.audit-head/v1"
    var sequence: Int64
    var hash: String
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
        var providerRequestID, prevHash, mac: String?
        init(_ r: AuditRecord) {
            id = r.id; at = r.at; actor = r.actor; action = r.action; outcome = r.outcome; hash = r.hash
            targets = r.targets; parameters = r.parameters; providerRequestID = r.providerRequestID; prevHash = r.prevHash
            mac = r.mac
        }
        enum CodingKeys: String, CodingKey {
            case id, at, actor, action, outcome, hash, targets, parameters, mac
            case providerRequestID = "provider_request_id", prevHash = "prev_hash"
        }
    }
}
