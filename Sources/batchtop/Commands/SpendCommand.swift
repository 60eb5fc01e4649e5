import ArgumentParser
import BatchKit
import Foundation

/// `batchtop spend`: spend per lane, model, workload or day, with savings, budgets and reconciliation.
struct SpendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Spend per lane from the local ledger: totals, savings, budgets; --check for cron and CI.",
        discussion: """
            Days are calendar days in [spend] time_zone (UTC by default); the provider's usage and costs \
            are UTC days. --sync first refreshes the ledger (jobs in the database; organisation usage and \
            costs when an admin key is set). --json writes {"schema":"batchtop.spend/v1", ...}.
            Exit codes: 0 ok, 1 a budget at warning, 2 a budget critical (with --check), 3 error, 64 usage.
            """)

    @Option(name: .long, help: ArgumentHelp("Days back from today: 7d, 2w, 30d, or a date (default 7d).", valueName: "when"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("First day, YYYY-MM-DD (with --to).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Last day, YYYY-MM-DD (default today).", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Group rows by lane, model, workload or day.", valueName: "group"))
    var by: String = "lane"

    @Flag(name: .long, help: "Write the versioned JSON contract (batchtop.spend/v1).")
    var json = false

    @Flag(name: .long, help: "Write CSV with a header row.")
    var csv = false

    @Flag(name: .long, help: "Exit 1 when a budget is at warning, 2 when critical.")
    var check = false

    @Flag(name: .long, help: "Refresh the ledger before reporting.")
    var sync = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive; pick one") }
        if since != nil && (from != nil || to != nil) { throw ValidationError("use --since or --from/--to, not both") }
        if SpendGrouping(rawValue: by) == nil {
            throw ValidationError("--by \(by.debugDescription) is not a grouping; use one of: \(SpendGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for (flag, value) in [("--from", from), ("--to", to)] {
            if let value, CalendarDay(value) == nil { throw ValidationError("\(flag) \(value.debugDescription) is not a date; use YYYY-MM-DD") }
        }
    }

    func run() async throws {
        do {
            let code = try await report()
            if code != 0 { throw ExitCode(code) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // Rule: errors exit 3, why: --check's 1 and 2 must mean a budget, never a failure.
            Console.warn("batchtop spend: \(String(describing: error))")
            throw ExitCode(3)
        }
    }

    func report() async throws -> Int32 {
        let config = try configOptions.load(databaseFlag: database.db)
        let settings = config.spend
        let prices = try settings.priceTable()
        let clock = SystemClock()
        let now = clock.unixNow()
        let today = CalendarDay(unixSeconds: now, in: settings.timeZone)
        let (first, last) = try range(today: today, now: now, timeZone: settings.timeZone)
        let store = warnAboutFile(try BatchStore.openExisting(paths: config.paths))
        if sync {
            let admin = config.adminClientOptions().map { OpenAIClient(options: $0) }
            let result = try await SpendSync(store: store, prices: prices, timeZone: settings.timeZone, organization: admin,
                                             clock: clock).run()
            var note = "ledger refreshed: \(result.jobsPriced) job(s), \(result.organizationDays) UTC day(s) of organisation usage"
            if admin == nil { note += " (no admin key: OPENAI_ADMIN_KEY or [api] admin_key_file)" }
            var line: SafeText = "\(note)"
            if let error = result.organizationError { line += "; organisation usage failed: \(error, limit: 500)" }
            Console.warn(line)
        }
        let report = try SpendReport.load(store: store, settings: settings, prices: prices, from: first, to: last, today: today,
                                          grouping: SpendGrouping(rawValue: by) ?? .lane)
        if json { Console.write(try SpendOutput.json(report)) } else if csv { Console.write(SpendOutput.csv(report)) } else { Console.write(SpendOutput.table(report)) }
        return check ? SpendOutput.exitCode(report.level) : 0
    }

    /// The first and last day: --from/--to, else --since (default 7d: the day 7 days ago through today).
    func range(today: CalendarDay, now: Int64, timeZone: TimeZone) throws -> (CalendarDay, CalendarDay) {
        if from != nil || to != nil {
            let last = to.flatMap(CalendarDay.init) ?? today
            let first = from.flatMap(CalendarDay.init) ?? last
            guard first <= last else { throw CommandFailure("--from \(first) is after --to \(last)") }
            return (first, last)
        }
        let start = try SinceArgument.parse(since ?? "7d", now: now)
        let first = CalendarDay(unixSeconds: start, in: timeZone)
        guard first <= today else { throw CommandFailure("--since \(since ?? "") is in the future") }
        return (first, today)
    }
}
