/// Decides which locally held chunks may be submitted now without passing a model's enqueued-token
/// limit, and forecasts when the rest can go.
///
/// Rules:
/// - Never admit past the limit, why: a batch over it is created and then fails `token_limit_exceeded`.
/// - FIFO per model pool: once a chunk must wait, later chunks of the same pool wait behind it, why:
///   letting small chunks overtake would starve a large one forever.
/// - A chunk larger than the whole limit is rejected with a reason instead of waiting, why: it could
///   never be admitted and would block its pool silently; split it with a token-capped `ChunkLimits`.
/// - A pool with no known limit admits everything (the reason says so), why: holding without a limit
///   would wait forever; configure one to get admission control.
public struct AdmissionController: Sendable {
    public var limits: AdmissionLimits

    public init(limits: AdmissionLimits) { self.limits = limits }

    /// The verdict for every held chunk, in the order given (FIFO).
    public func decide(held: [HeldChunk], enqueued: EnqueuedTokens) -> AdmissionDecision {
        var used: [String: Int64] = [:]
        var blockedBy: [String: String] = [:]   // pool -> id of the first chunk that must wait
        var verdicts: [AdmissionDecision.Entry] = []
        for chunk in held {
            let pool = limits.pool(for: chunk.model)
            let current = used[pool] ?? enqueued[pool]
            guard let limit = limits.perModel[pool] else {
                used[pool] = current + chunk.tokens
                verdicts.append(.init(chunk: chunk, verdict: .admit(reason: "no enqueued-token limit known for \(chunk.model); configure one to hold chunks")))
                continue
            }
            if chunk.tokens > limit {
                verdicts.append(.init(chunk: chunk, verdict: .reject(reason:
                    "chunk \(chunk.chunk.index) is estimated at \(TokenCount.grouped(chunk.tokens)) input tokens, more than the whole \(TokenCount.grouped(limit))-token enqueued limit of \(pool); re-plan it with a token cap per chunk")))
                continue
            }
            if let first = blockedBy[pool] {
                verdicts.append(.init(chunk: chunk, verdict: .hold(reason: "waiting behind \(first) (first in, first out per model)")))
                continue
            }
            if current + chunk.tokens > limit {
                blockedBy[pool] = chunk.id
                verdicts.append(.init(chunk: chunk, verdict: .hold(reason:
                    "\(TokenCount.grouped(current)) of \(TokenCount.grouped(limit)) tokens enqueued for \(pool); needs \(TokenCount.grouped(chunk.tokens)) more")))
                continue
            }
            used[pool] = current + chunk.tokens
            verdicts.append(.init(chunk: chunk, verdict: .admit(reason:
                "fits: \(TokenCount.grouped(current + chunk.tokens)) of \(TokenCount.grouped(limit)) tokens for \(pool) after it")))
        }
        return AdmissionDecision(entries: verdicts)
    }

    /// When each held chunk could be admitted, for `submit --dry-run`.
    ///
    /// Assumptions: in-flight jobs release their tokens at `JobForecast.release`; a chunk admitted in the
    /// forecast is assumed to run for `assumedChunkDuration` (default: the whole 24 h window, the
    /// conservative end) before it releases its tokens. Chunks of a pool are admitted in FIFO order.
    public func forecast(
        held: [HeldChunk], jobs: [Job], estimates: [String: JobTokenEstimate], now: Int64,
        assumedChunkDuration: Int64 = JobForecast.defaultWindow, fallbackTokensPerRequest: Int64 = 0
    ) -> [AdmissionForecast] {
        let enqueued = EnqueuedTokens.compute(jobs: jobs, estimates: estimates, limits: limits,
                                              fallbackTokensPerRequest: fallbackTokensPerRequest)
        // Release events per pool, sorted by time.
        var releases: [String: [(at: Int64, tokens: Int64)]] = [:]
        for job in jobs where job.lane == .batch && !job.batch.status.isTerminal {
            guard let model = job.batch.model ?? estimates[job.id]?.model else { continue }
            let tokens = estimates[job.id]?.tokens.value
                ?? (fallbackTokensPerRequest > 0 ? fallbackTokensPerRequest * Int64(job.batch.requestCounts.total) : 0)
            guard tokens > 0 else { continue }
            releases[limits.pool(for: model), default: []].append((JobForecast(job, now: now).release, tokens))
        }
        for key in releases.keys { releases[key]!.sort { $0.at < $1.at } }
        var used: [String: Int64] = [:]
        var lastAdmitted: [String: Int64] = [:]
        var result: [AdmissionForecast] = []
        for chunk in held {
            let pool = limits.pool(for: chunk.model)
            guard let limit = limits.perModel[pool] else {
                result.append(AdmissionForecast(chunkID: chunk.id, admitAt: now, reason: "no enqueued-token limit known for \(chunk.model)"))
                continue
            }
            guard chunk.tokens <= limit else {
                result.append(AdmissionForecast(chunkID: chunk.id, admitAt: nil, reason:
                    "never: estimated \(TokenCount.grouped(chunk.tokens)) tokens, over the whole \(TokenCount.grouped(limit))-token limit of \(pool)"))
                continue
            }
            var current = used[pool] ?? enqueued[pool]
            var t = max(now, lastAdmitted[pool] ?? now)
            var queue = releases[pool] ?? []
            while let next = queue.first, next.at <= t { current -= next.tokens; queue.removeFirst() }
            while current + chunk.tokens > limit, let next = queue.first {
                t = max(t, next.at); current -= next.tokens; queue.removeFirst()
            }
            // Tokens not tied to a release (unestimated jobs are not counted at all) cannot block forever.
            current = max(0, current)
            let reason = t == now
                ? "now: fits within the \(TokenCount.grouped(limit))-token limit of \(pool)"
                : "when earlier \(pool) jobs finish (estimated from their progress, or their expiry)"
            current += chunk.tokens
            let finish = t + assumedChunkDuration
            let slot = queue.firstIndex { $0.at > finish } ?? queue.count
            queue.insert((finish, chunk.tokens), at: slot)
            releases[pool] = queue
            used[pool] = current
            lastAdmitted[pool] = t
            result.append(AdmissionForecast(chunkID: chunk.id, admitAt: t, reason: reason))
        }
        return result
    }
}

/// The verdicts of one admission pass.
public struct AdmissionDecision: Sendable, Hashable {
    /// What to do with one held chunk, and why.
    public enum Verdict: Sendable, Hashable {
        case admit(reason: String)
        case hold(reason: String)
        case reject(reason: String)

        public var reason: String {
            switch self {
            case .admit(let r), .hold(let r), .reject(let r): return r
            }
        }
    }

    /// One chunk's verdict.
    public struct Entry: Sendable, Hashable {
        public var chunk: HeldChunk
        public var verdict: Verdict
    }

    /// Verdicts in FIFO order.
    public var entries: [Entry]

    /// Chunks to submit now, in order.
    public var admitted: [HeldChunk] {
        entries.compactMap { if case .admit = $0.verdict { return $0.chunk } else { return nil } }
    }
    /// Chunks that stay in the local queue.
    public var held: [HeldChunk] {
        entries.compactMap { if case .hold = $0.verdict { return $0.chunk } else { return nil } }
    }
    /// Chunks that can never be admitted as planned.
    public var rejected: [HeldChunk] {
        entries.compactMap { if case .reject = $0.verdict { return $0.chunk } else { return nil } }
    }
}

/// When one held chunk is expected to be admitted.
public struct AdmissionForecast: Codable, Sendable, Hashable {
    /// `HeldChunk.id`.
    public var chunkID: String
    /// Unix seconds; nil when it can never be admitted.
    public var admitAt: Int64?
    public var reason: String

    public init(chunkID: String, admitAt: Int64?, reason: String) {
        self.chunkID = chunkID; self.admitAt = admitAt; self.reason = reason
    }
}
