/// When a job is expected to finish, whether that is after its expiry, and when it stops holding
/// enqueued tokens: the one forecast the job list, the detail, the advisor and the admission queue use.
///
/// Rules, in order:
/// - a terminal job has ended: nothing to forecast;
/// - `finalizing` has every request done: it finishes now;
/// - `cancelling`, or a cancel an operator requested that the provider has not finished, ends within the
///   provider's 10-minute cancelling window; no finish is projected (its requests will not all run);
/// - `in_progress` with finished requests finishes at its observed throughput: requests done so far
///   divided by the seconds since the best known start, applied to the pending requests;
/// - anything else (validating, no request finished yet, an unknown status, a clock behind the start)
///   is **unknown**: no evidence, so no finish is guessed and nothing is said to pass the expiry.
///
/// The best known start is `in_progress_at`, else `created_at`, else when batchtop first saw the job.
/// Rule: a job `in_progress` without `in_progress_at` measures its rate from `created_at`, why: the
/// provider omits the field on some batches, and the time since creation includes validation, so the
/// rate it gives is the slowest the job can have run: the projection errs late, and a job at risk of
/// expiring is flagged early rather than missed (the advisor would otherwise raise nothing).
///
/// The expiry is `expires_at`, else the best known creation time plus the 24 h completion window.
public struct JobForecast: Sendable, Hashable {
    /// What the forecast rests on.
    public enum Basis: Sendable, Hashable {
        /// The job is terminal.
        case ended
        /// Every request is done; the provider is writing the files.
        case finalizing
        /// Cancelling at the provider, or a cancel was requested.
        case cancelling
        /// The observed throughput since `since`, taken from `start`.
        case throughput(since: Int64, start: Start)
        /// No evidence to project from.
        case unknown
    }

    /// Which time the throughput is measured from.
    public enum Start: String, Sendable, Hashable {
        case inProgressAt = "in_progress_at"
        case createdAt = "created_at"
        case firstSeen = "first seen"
    }

    /// The provider's completion window when a batch does not say its expiry.
    public static let defaultWindow: Int64 = 24 * 3600
    /// Longest a cancelling batch stays cancelling.
    public static let cancellingWindow: Int64 = 600

    /// What the forecast rests on.
    public var basis: Basis
    /// When every request is expected to be done (unix seconds), not capped at the expiry; nil when
    /// the job has ended, is being cancelled, or there is no evidence.
    public var finish: Int64?
    /// When the provider expires the job (unix seconds); nil when it has ended or nothing says.
    public var expiresAt: Int64?
    /// The time the forecast was made for.
    public var now: Int64

    /// Forecasts a job from the fields every view of it has.
    ///
    /// - Parameters:
    ///   - createdAt: the provider's `created_at`; 0 means the provider did not say.
    ///   - firstSeenAt: when batchtop first saw the job, when the caller has it.
    public init(
        status: BatchStatus, counts: RequestCounts, createdAt: Int64, inProgressAt: Int64?, expiresAt: Int64?,
        firstSeenAt: Int64? = nil, cancelRequestedAt: Int64? = nil, now: Int64
    ) {
        self.now = now
        let created: (at: Int64, start: Start)? = createdAt > 0 ? (createdAt, .createdAt) : firstSeenAt.map { ($0, .firstSeen) }
        if status.isTerminal {
            basis = .ended; finish = nil; self.expiresAt = nil
            return
        }
        self.expiresAt = expiresAt ?? created.map { $0.at + Self.defaultWindow }
        let origin = inProgressAt.map { (at: $0, start: Start.inProgressAt) } ?? created
        if status == .finalizing {
            basis = .finalizing; finish = now
        } else if status == .cancelling || cancelRequestedAt != nil {
            basis = .cancelling; finish = nil
        } else if status == .inProgress, let origin, counts.total > 0, counts.completed + counts.failed > 0, now > origin.at {
            let since = origin.at
            let done = Int64(counts.completed + counts.failed)
            let pending = Int64(counts.pending)
            basis = .throughput(since: since, start: origin.start)
            // Rounded up, and saturating, why: a projection days out must not wrap around.
            let (product, overflow) = (now - since).multipliedReportingOverflow(by: pending)
            let remaining = overflow || product > Int64.max / 4 ? Int64.max / 4 : (product + done - 1) / done
            finish = now + remaining
        } else {
            basis = .unknown; finish = nil
        }
    }

    /// Forecasts a fully decoded job.
    public init(_ job: Job, now: Int64) {
        let b = job.batch
        self.init(status: b.status, counts: b.requestCounts, createdAt: b.createdAt, inProgressAt: b.inProgressAt,
                  expiresAt: b.expiresAt, firstSeenAt: job.firstSeenAt > 0 ? job.firstSeenAt : nil,
                  cancelRequestedAt: job.cancelRequestedAt, now: now)
    }

    /// Seconds until every request is done (0 when done); nil when unknown.
    public var remaining: Int64? { finish.map { max(0, $0 - now) } }

    /// Whether, at its observed rate, the job would still be running when the provider expires it.
    public var passesExpiry: Bool {
        guard let finish, let expiresAt else { return false }
        return finish > expiresAt
    }

    /// When the job stops counting against the enqueued-token limit: when it finishes or expires,
    /// whichever is first; at its expiry when the finish is unknown (the provider expires unfinished
    /// work then); within the cancelling window when cancelling; now when it has ended or is finalizing.
    /// Never before `now`.
    public var release: Int64 {
        let expiry = max(now, expiresAt ?? now + Self.defaultWindow)
        switch basis {
        case .ended, .finalizing: return now
        case .cancelling: return min(expiry, now + Self.cancellingWindow)
        case .throughput: return min(expiry, max(now, finish ?? expiry))
        case .unknown: return expiry
        }
    }

    /// What the rate was measured from ("measured since in_progress_at"), for reasons that must say why a
    /// figure is what it is; nil without a throughput.
    public var rateNote: String? {
        guard case .throughput(_, let start) = basis else { return nil }
        switch start {
        case .inProgressAt: return "measured since in_progress_at"
        case .createdAt: return "measured since created_at: the provider gave no in_progress_at"
        case .firstSeen: return "measured since batchtop first saw it: the provider gave no in_progress_at or created_at"
        }
    }
}
