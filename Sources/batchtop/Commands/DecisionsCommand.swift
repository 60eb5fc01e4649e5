import ArgumentParser
import BatchKit
import Foundation

/// `batchtop decisions [list] | approve ID | reject ID --comment TEXT | advise`.
struct DecisionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions",
        abstract: "List, approve or reject routing decisions.",
        subcommands: [List.self, Approve.self, Reject.self, Advise.self],
        defaultSubcommand: List.self)

    /// `decisions list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Pending decisions (all with --all).")
        @Flag(name: .long, help: "Include approved, rejected and expired decisions.") var all = false
        @Flag(name: .long, help: "Write JSON (batchtop.decisions/v1).") var json = false
        @OptionGroup var options: OperationsOptions

        func run() async throws {
            let service = try options.service(needsAPI: false)
            _ = try service.expireMootDecisions()
            let list = try service.store.decisions(states: all ? [] : [.pending])
            if json { return try printJSON(DecisionsJSON(decisions: list)) }
            if list.isEmpty { return say(all ? "no decisions yet" : "no pending decisions (see --all)") }
            for d in list { say(DecisionsCommand.line(d)) }
        }
    }

    /// `decisions approve ID`.
    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "approve", abstract: "Approve a pending decision (approvers only).")
        @Argument(help: ArgumentHelp("The decision id (dec_...).", valueName: "id")) var id: String
        @Option(name: .long, help: ArgumentHelp("A comment recorded with the approval.", valueName: "text")) var comment: String?
        @OptionGroup var options: OperationsOptions

        func run() async throws {
            let service = try options.service(needsAPI: false)
            let d = try await operation { try service.approve(id, comment: comment) }
            say("approved by \(service.actor): \(DecisionsCommand.line(d))")
            if case .job = d.subject, (d.toLane ?? d.toClass.map(service.settings.policy.lane(for:))) == .realtime {
                if let transport = service.api as? any RealtimeTransport {
                    let outcome = try await operation {
                        try await service.applyEscalation(d.id, executor: RealtimeExecutor(transport: transport), prices: try? PriceTable.shippedDefault())
                    }
                    say("\(outcome.message, limit: 2000)")
                } else {
                    say("note: no API key, so nothing ran; approve again with a key to run the unfinished requests in real time")
                }
            }
            if case .workload(let w) = d.subject { say("route now: \(service.route(workload: w).explanation, limit: 400)") }
        }
    }

    /// `decisions reject ID --comment TEXT`.
    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject a pending decision with a comment (approvers only).")
        @Argument(help: ArgumentHelp("The decision id (dec_...).", valueName: "id")) var id: String
        @Option(name: .long, help: ArgumentHelp("Why it is rejected.", valueName: "text")) var comment: String
        @OptionGroup var options: OperationsOptions

        func run() async throws {
            let service = try options.service(needsAPI: false)
            let d = try await operation { try service.reject(id, comment: comment) }
            say("rejected by \(service.actor): \(DecisionsCommand.line(d))")
        }
    }

    /// `decisions advise`: let the advisor raise what it sees.
    struct Advise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "advise", abstract: "Run the advisor once: raise escalations and cheaper-lane proposals (deduplicated).")
        @OptionGroup var options: OperationsOptions

        func run() async throws {
            let service = try options.service(needsAPI: false)
            let raised = try await operation { try Advisor(prices: try PriceTable.shippedDefault()).run(service) }
            if raised.isEmpty { return say("nothing to propose") }
            for d in raised { say("raised: \(DecisionsCommand.line(d))") }
        }
    }

    /// One decision as a line; every field is sanitized and long values are cut.
    static func line(_ d: RoutingDecision) -> SafeText {
        var text: SafeText = "\(d.id, limit: 80) [\(d.state.rawValue)] \(d.subject, limit: 120) -> \(d.change); by \(d.requestedBy, limit: 80) at \(stamp(d.requestedAt)): \(d.reason, limit: 200)"
        if let impact = d.dailyCostImpact { text += "; daily cost impact \(impact.value >= 0 ? "+" : "")\(impact)" }
        if let by = d.decidedBy, let at = d.decidedAt { text += "; \(d.state.rawValue) by \(by, limit: 80) at \(stamp(at))" }
        if let c = d.comment { text += " (\(c, limit: 200))" }
        return text
    }

    static func stamp(_ t: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = .current
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }
}

/// The `batchtop decisions --json` document.
struct DecisionsJSON: Encodable {
    var schema = "batchtop.decisions/v1"
    var decisions: [Item]
    init(decisions: [RoutingDecision]) { self.decisions = decisions.map(Item.init) }

    struct Item: Encodable {
        var id, subjectKind, subject, reason, source, requestedBy, state: String
        var toLane, toClass, decidedBy, comment: String?
        var requestedAt: Int64
        var decidedAt: Int64?
        var dailyCostMicros: Int64?
        var details: [String: String]
        init(_ d: RoutingDecision) {
            id = d.id; subjectKind = d.subject.kind; subject = d.subject.name; reason = d.reason; source = d.source.rawValue
            requestedBy = d.requestedBy; state = d.state.rawValue; toLane = d.toLane?.rawValue; toClass = d.toClass?.rawValue
            decidedBy = d.decidedBy; comment = d.comment; requestedAt = d.requestedAt; decidedAt = d.decidedAt
            dailyCostMicros = d.dailyCostImpact?.value; details = d.details
        }
        enum CodingKeys: String, CodingKey {
            case id, subject, reason, source, state, comment, details
            case subjectKind = "subject_kind", requestedBy = "requested_by", toLane = "to_lane", toClass = "to_class"
            case decidedBy = "decided_by", requestedAt = "requested_at", decidedAt = "decided_at", dailyCostMicros = "daily_cost_micros"
        }
    }
}
