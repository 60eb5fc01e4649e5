import ArgumentParser
import BatchKit
import Foundation

/// `batchtop job ID`: every field of one job, its timeline, batch errors and file records.
struct JobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Show one job: every field, the timeline of status changes, batch errors and files.")

    @Argument(help: ArgumentHelp("The provider batch id (batch_...) or batchtop's local job id.", valueName: "id"))
    var id: String

    @Flag(name: .long, help: "Write JSON (batchtop.job/v1).")
    var json = false

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        if id.isEmpty || id.count > 256 { throw ValidationError("the job id must be 1 to 256 characters") }
    }

    func run() throws {
        let store = try database.openExisting()
        guard let detail = try store.jobDetail(id: id) else {
            throw CommandFailure("no job \(UntrustedText.singleLine(id, limit: 80).debugDescription) in \(store.url.path); run `batchtop sync`, or check `batchtop jobs`")
        }
        if json {
            try printJSON(JobJSON(detail))
        } else {
            Console.write(JobDetailText.render(detail, now: SystemClock().unixNow()))
        }
    }
}

/// The `batchtop job --json` document.
struct JobJSON: Encodable {
    struct Transition: Encodable {
        var from: String?
        var to: String
        var at: Int64
        var atSource: String
        var observedAt: Int64
        enum CodingKeys: String, CodingKey { case from, to, at, atSource = "at_source", observedAt = "observed_at" }
    }

    struct File: Encodable {
        var kind: String
        var fileID: String
        var status: String
        var localPath: String?
        var bytes: Int64?
        var sha256: String?
        var downloadedAt: Int64?
        var attempts: Int
        var lastError: String?
        enum CodingKeys: String, CodingKey {
            case kind, status, bytes, sha256, attempts
            case fileID = "file_id", localPath = "local_path", downloadedAt = "downloaded_at", lastError = "last_error"
        }
    }

    var schema = "batchtop.job/v1"
    var id: String
    var status: String
    var workload: String?
    var lane: String
    var parentJobID: String?
    var localID: String?
    var firstSeenAt: Int64
    var lastPolledAt: Int64
    var cancelRequestedAt: Int64?
    var missingSince: Int64?
    var batch: Batch
    var transitions: [Transition]
    var files: [File]

    enum CodingKeys: String, CodingKey {
        case schema, id, status, workload, lane, batch, transitions, files
        case parentJobID = "parent_job_id", localID = "local_id", firstSeenAt = "first_seen_at"
        case lastPolledAt = "last_polled_at", cancelRequestedAt = "cancel_requested_at", missingSince = "missing_since"
    }

    init(_ d: JobRecord) {
        let j = d.job
        id = j.id; status = j.batch.status.rawValue; workload = j.workload; lane = j.lane.rawValue
        parentJobID = j.parentJobID; localID = j.localID; firstSeenAt = j.firstSeenAt; lastPolledAt = j.lastPolledAt
        cancelRequestedAt = j.cancelRequestedAt; missingSince = j.missingSince; batch = j.batch
        transitions = d.transitions.map {
            Transition(from: $0.from?.rawValue, to: $0.to.rawValue, at: $0.at,
                       atSource: $0.atIsProviderTime ? "provider" : "observed", observedAt: $0.observedAt)
        }
        files = d.files.map {
            File(kind: $0.kind.rawValue, fileID: $0.fileID, status: $0.status.rawValue, localPath: $0.localPath, bytes: $0.bytes,
                 sha256: $0.sha256, downloadedAt: $0.downloadedAt, attempts: $0.attempts, lastError: $0.lastError)
        }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema); try c.encode(id, forKey: .id); try c.encode(status, forKey: .status)
        try c.encode(workload, forKey: .workload); try c.encode(lane, forKey: .lane)
        try c.encode(parentJobID, forKey: .parentJobID); try c.encode(localID, forKey: .localID)
        try c.encode(firstSeenAt, forKey: .firstSeenAt); try c.encode(lastPolledAt, forKey: .lastPolledAt)
        try c.encode(cancelRequestedAt, forKey: .cancelRequestedAt); try c.encode(missingSince, forKey: .missingSince)
        try c.encode(batch, forKey: .batch)
        try c.encode(transitions, forKey: .transitions); try c.encode(files, forKey: .files)
    }
}
