import ArgumentParser
import BatchKit
import Foundation

/// `batchtop jobs`: the jobs in the local database as a table, CSV or versioned JSON.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List jobs from the local database (`batchtop sync` refreshes it).",
        discussion: """
            --json writes {"schema":"batchtop.jobs/v1","jobs":[...]}: each job carries batchtop's fields \
            (workload, lane, parent_job_id, local_id, first_seen_at, last_polled_at, cancel_requested_at, \
            missing_since: when the provider began answering 404 for it, once that counts as missing) \
            and the provider's batch object under "batch". Fields are only ever added within v1.
            """)

    @Option(name: .long, parsing: .singleValue,
            help: ArgumentHelp("Only jobs in this status (repeat or comma-separate for several).", valueName: "status"))
    var status: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only jobs of this workload.", valueName: "name"))
    var workload: String?

    @Option(name: .long, help: ArgumentHelp("Only jobs in this lane (realtime or batch).", valueName: "lane"))
    var lane: String?

    @Option(name: .long, help: ArgumentHelp("Only jobs created since: 30m, 24h, 7d, 2026-11-01, an ISO 8601 time or unix seconds.", valueName: "when"))
    var since: String?

    @Option(name: .long, help: "At most this many jobs, newest first.")
    var limit: Int?

    @Flag(name: .long, help: "Write the versioned JSON contract (batchtop.jobs/v1).")
    var json = false

    @Flag(name: .long, help: "Write CSV with a header row.")
    var csv = false

    @Flag(name: .long, help: "ASCII status glyphs.")
    var ascii = false

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are exclusive; pick one") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if let lane, Lane(rawValue: lane) == nil {
            throw ValidationError("--lane \(lane.debugDescription) is not a lane; use one of: \(Lane.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for s in statuses where s.isEmpty || s.count > 64 || !s.allSatisfy({ $0.isLetter || $0 == "_" }) {
            throw ValidationError("--status \(s.debugDescription) is not a status; known: \(BatchStatus.known.map(\.rawValue).joined(separator: ", "))")
        }
    }

    var statuses: [String] {
        status.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func run() throws {
        let now = SystemClock().unixNow()
        let filter = JobFilter(
            statuses: statuses.isEmpty ? nil : statuses.map(BatchStatus.init(rawValue:)),
            workload: workload, lane: lane.flatMap(Lane.init(rawValue:)),
            createdSince: try since.map { try SinceArgument.parse($0, now: now) }, limit: limit)
        let store = try database.openExisting()
        if json {
            // The stored provider JSON is spliced as is; the escaper makes it safe to `cat`.
            var escaper = TerminalSafeJSON()
            try store.writeJobsJSON(filter) { Console.write(escaper.escape(chunk: $0)) }
            Console.write(escaper.finish())
            return
        }
        let jobs = try store.jobSummaries(filter)
        if csv {
            var text = JobsTable.csvHeader + "\n"
            for j in jobs { text += JobsTable.csvRow(j) + "\n" }
            Console.write(SafeText(lines: text))
            return
        }
        let freshness = try store.freshness()
        Console.write(JobsTable.render(jobs, now: now, ascii: ascii)
            + "\(jobs.count) job\(jobs.count == 1 ? "" : "s") · \(freshness.summary(now: now))\n")
    }
}
