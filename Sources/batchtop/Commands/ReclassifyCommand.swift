import ArgumentParser
import BatchKit

/// `batchtop reclassify --job ID | --workload W --lane L | --class C --reason TEXT`: raise a decision.
struct ReclassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reclassify",
        abstract: "Propose moving a job or workload to another lane or class; raises a pending decision, never applies it.")

    @Option(name: .long, help: ArgumentHelp("A job to move.", valueName: "id")) var job: String?
    @Option(name: .long, help: ArgumentHelp("A workload to move.", valueName: "name")) var workload: String?
    @Option(name: .long, help: ArgumentHelp("realtime or batch.", valueName: "lane")) var lane: String?
    @Option(name: [.customLong("class")], help: ArgumentHelp("interactive, urgent, scheduled, backfill, evaluation or bulk.", valueName: "class"))
    var urgencyClass: String?
    @Option(name: .long, help: ArgumentHelp("Why (recorded with the decision).", valueName: "text")) var reason: String

    @OptionGroup var options: OperationsOptions

    func validate() throws {
        if (job == nil) == (workload == nil) { throw ValidationError("give exactly one of --job ID or --workload NAME") }
        if lane == nil && urgencyClass == nil { throw ValidationError("give --lane and/or --class") }
        if let lane, Lane(rawValue: lane) == nil { throw ValidationError("--lane must be realtime or batch, got \(lane.debugDescription)") }
        if let urgencyClass, UrgencyClass(rawValue: urgencyClass) == nil {
            throw ValidationError("--class must be one of \(UrgencyClass.allCases.map(\.rawValue).joined(separator: ", ")), got \(urgencyClass.debugDescription)")
        }
    }

    func run() async throws {
        let service = try options.service(needsAPI: false)
        let subject: RoutingDecision.Subject = job.map { .job($0) } ?? .workload(workload ?? "")
        let prices = try? PriceTable.shippedDefault()
        let d = try await operation {
            try service.reclassify(subject, lane: lane.flatMap(Lane.init(rawValue:)), urgencyClass: urgencyClass.flatMap(UrgencyClass.init(rawValue:)),
                                   reason: reason, prices: prices)
        }
        say("decision \(d.id) pending: move \(d.subject, limit: 200) to \(d.change)\(d.dailyCostImpact.map { "; estimated daily cost impact \($0)" } ?? "")")
        say("an approver (\(service.settings.approvers.isEmpty ? "none configured: add [approvals] approvers" : service.settings.approvers.joined(separator: ", "))) runs: batchtop decisions approve \(d.id)")
    }
}
