import Foundation

/// The `demo` world: one organisation, several workloads, a week of history in both lanes, and batches in
/// every status at "now", some of them still moving.
///
/// Workloads (`metadata.workload`; `metadata.deadline` is RFC 3339 UTC where a pipeline has one):
/// - `nightly-eval`: chat completions on gpt-4.1-mini every night at 01:00, deadline 07:00.
/// - `support-summaries`: chat completions on gpt-4o-mini at 08:00, 13:00 and 18:00, deadline +12 h; ran in the
///   real-time lane for the first days of the week, then moved to batch.
/// - `moderation-backfill`: Responses API on gpt-4.1-nano every night at 22:00.
/// - `embeddings-refresh`: embeddings on text-embedding-3-small at 03:00.
/// - `interactive-chat`: real-time lane only, gpt-5-mini, with a daily rhythm (plus a sandbox project on gpt-4o).
///
/// Special batches: one completed with every request failed (error file only), one failed on
/// `token_limit_exceeded` (gpt-4.1, whose demo limit is 250,000 enqueued tokens), one failed validation with
/// line numbers, one expired, one cancelled; and now: validating, in_progress (one about 45 minutes from
/// expiry), finalizing and cancelling batches that progress as the clock runs.
enum DemoScenario {
    /// The demo's enqueued-token limit for gpt-4.1, low enough for one large eval to hit it.
    static let gpt41TokenLimit = 250_000

    private struct Workload {
        var name: String
        var endpoint: String
        var model: String
        var lines: Int
        var promptChars: ClosedRange<Int>
        var processing: ClosedRange<Int>
        var deadlineHours: Int?
    }

    private static let nightlyEval = Workload(name: "nightly-eval", endpoint: "/v1/chat/completions", model: "gpt-4.1-mini",
                                              lines: 200, promptChars: 600...1_600, processing: 7_200...14_400, deadlineHours: 6)
    private static let supportSummaries = Workload(name: "support-summaries", endpoint: "/v1/chat/completions", model: "gpt-4o-mini",
                                                   lines: 80, promptChars: 1_200...2_800, processing: 1_800...5_400, deadlineHours: 12)
    private static let moderationBackfill = Workload(name: "moderation-backfill", endpoint: "/v1/responses", model: "gpt-4.1-nano",
                                                     lines: 300, promptChars: 300...900, processing: 10_800...21_600, deadlineHours: nil)
    private static let embeddingsRefresh = Workload(name: "embeddings-refresh", endpoint: "/v1/embeddings", model: "text-embedding-3-small",
                                                    lines: 250, promptChars: 400...1_000, processing: 1_200...3_000, deadlineHours: nil)

    /// The demo's config changes: the low gpt-4.1 limit, unless the caller set one.
    static func adjust(_ config: inout EmulatorConfig) {
        if config.tokenLimits["gpt-4.1"] == nil { config.tokenLimits["gpt-4.1"] = gpt41TokenLimit }
    }

    static func build(into world: inout EmulatorWorld, now: Int64) {
        var rng = SeededGenerator(seed: world.config.seed, stream: "demo")
        let today = now - now % 86_400
        world.now = today - 8 * 86_400
        var plans: [(time: Int64, action: (inout EmulatorWorld, inout SeededGenerator) -> Void)] = []

        func at(_ time: Int64, _ action: @escaping (inout EmulatorWorld, inout SeededGenerator) -> Void) {
            plans.append((time, action))
        }
        func batch(_ w: Workload, _ time: Int64, lines: Int? = nil, model: String? = nil, processing: Int64? = nil,
                   validation: Int64? = nil, finalizing: Int64? = nil, cancelling: Int64? = nil, failureRate: Double? = nil,
                   extra: [String: String] = [:], broken: [Int: String] = [:], promptChars: ClosedRange<Int>? = nil,
                   cancelAfter: Int64? = nil) {
            at(time) { world, rng in
                var workload = w
                if let model { workload.model = model }
                if let promptChars { workload.promptChars = promptChars }
                let overrides = BatchOverrides(
                    validationSeconds: validation ?? Int64(rng.int(in: 30...150)),
                    processingSeconds: processing ?? Int64(rng.int(in: w.processing)),
                    finalizingSeconds: finalizing ?? Int64(rng.int(in: 60...400)),
                    cancellingSeconds: cancelling ?? Int64(rng.int(in: 60...300)),
                    failureRate: failureRate)
                var metadata = ["workload": w.name]
                if let hours = w.deadlineHours { metadata["deadline"] = rfc3339(time + Int64(hours) * 3600) }
                metadata.merge(extra) { $1 }
                let index = submit(&world, workload, at: time, lines: lines ?? w.lines, metadata: metadata,
                                   overrides: overrides, broken: broken, rng: &rng)
                if let cancelAfter {
                    let id = world.batches[index].id
                    let cancelTime = time + cancelAfter
                    world.pendingScenarioCancels.append((cancelTime, id))
                }
            }
        }

        // A week of history, both lanes.
        for day in stride(from: 7, through: 1, by: -1) {
            let start = today - Int64(day) * 86_400
            batch(nightlyEval, start + 3_600)
            batch(embeddingsRefresh, start + 3 * 3_600, extra: ["source": "kb-articles"])
            batch(moderationBackfill, start + 22 * 3_600, extra: ["shard": "\(8 - day)"])
            for hour in [8, 13, 18] {
                if day >= 5 { continue }   // support-summaries ran real-time until it moved to batch
                let time = start + Int64(hour) * 3_600
                switch (day, hour) {
                case (2, 13):
                    batch(supportSummaries, time, failureRate: 1.0, extra: ["note": "upstream template bug"])
                case (1, 18):
                    batch(supportSummaries, time, processing: 7_200, cancelling: 300, cancelAfter: 2_400)
                default:
                    batch(supportSummaries, time)
                }
            }
        }
        // Failed validation with line numbers: a duplicate custom_id and a wrong url.
        batch(moderationBackfill, today - 3 * 86_400 + 23 * 3_600, lines: 120, extra: ["shard": "retry"],
              broken: [42: "duplicate", 97: "url"])
        // Failed on the enqueued-token limit: a full eval suite on gpt-4.1.
        batch(nightlyEval, today - 86_400 + 5_400, lines: 420, model: "gpt-4.1", extra: ["suite": "full"],
              promptChars: 2_400...2_400)
        // Expired: an embeddings refresh that could not finish in 24 h.
        batch(embeddingsRefresh, today - 4 * 86_400 + 4 * 3_600, processing: 30 * 3_600, extra: ["source": "full-reindex"])

        // Now: every live status.
        batch(nightlyEval, now - (23 * 3_600 + 15 * 60), processing: 26 * 3_600, extra: ["suite": "rerun"])
        batch(supportSummaries, now - 25 * 60, lines: 300, processing: 2 * 3_600)
        batch(moderationBackfill, now - 3 * 3_600, lines: 1_200, processing: 9 * 3_600, extra: ["shard": "live"])
        batch(embeddingsRefresh, now - 70 * 60, processing: 3_600, validation: 60, finalizing: 20 * 60, extra: ["source": "faq"])
        batch(supportSummaries, now - 50 * 60, processing: 2 * 3_600, cancelling: 8 * 60, cancelAfter: 48 * 60)
        batch(nightlyEval, now - 40, validation: 180, extra: ["suite": "smoke"])

        // Real-time lane, hour by hour.
        var nextHour = today - 7 * 86_400
        while nextHour + 3_600 <= now {
            let hour = nextHour   // each closure keeps its own hour
            let hourOfDay = Int((hour % 86_400) / 3_600)
            let rhythm = hourOfDay >= 8 && hourOfDay < 20 ? 1.0 : 0.25
            let chats = Int64(Double(rng.int(in: 120...220)) * rhythm)
            at(hour + 1_800) { world, rng in
                let input = chats * Int64(rng.int(in: 500...900))
                let cached = input * Int64(rng.int(in: 10...40)) / 100 / 128 * 128
                let output = chats * Int64(rng.int(in: 180...320))
                world.recordRealtime(endpoint: "/v1/chat/completions", model: ModelCatalog.snapshot(of: "gpt-5-mini"),
                                     usage: TokenCounts(input: input, cached: cached, output: output,
                                                        reasoning: output * 2 / 5, requests: chats), at: hour + 1_800)
                if rhythm == 1.0 {
                    let calls = Int64(rng.int(in: 3...12))
                    world.recordRealtime(endpoint: "/v1/chat/completions", model: ModelCatalog.snapshot(of: "gpt-4o"),
                                         usage: TokenCounts(input: calls * 900, output: calls * 350, requests: calls),
                                         at: hour + 1_900, projectID: "proj_sandbox")
                }
            }
            if hour < today - 4 * 86_400, [8, 13, 18].contains(hourOfDay) {
                at(hour + 600) { world, rng in
                    let calls = Int64(rng.int(in: 70...90))
                    world.recordRealtime(endpoint: "/v1/chat/completions", model: ModelCatalog.snapshot(of: "gpt-4o-mini"),
                                         usage: TokenCounts(input: calls * 520, output: calls * 240, requests: calls),
                                         at: hour + 600)
                }
            }
            nextHour += 3_600
        }

        var pending = plans.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        while !pending.isEmpty || !world.pendingScenarioCancels.isEmpty {
            let nextPlan = pending.first?.time ?? Int64.max
            let nextCancel = world.pendingScenarioCancels.map(\.time).min() ?? Int64.max
            if nextCancel < nextPlan {
                let position = world.pendingScenarioCancels.firstIndex { $0.time == nextCancel }!
                let (time, id) = world.pendingScenarioCancels.remove(at: position)
                world.advance(to: time)
                _ = try? world.cancelBatch(id: id, at: time)
            } else {
                let plan = pending.removeFirst()
                world.advance(to: plan.time)
                plan.action(&world, &rng)
            }
        }
        world.advance(to: now)
    }

    /// Writes an input file for `workload` and creates its batch at `time`.
    private static func submit(_ world: inout EmulatorWorld, _ workload: Workload, at time: Int64, lines: Int,
                               metadata: [String: String], overrides: BatchOverrides, broken: [Int: String],
                               rng: inout SeededGenerator) -> Int {
        let fileID = world.newFileID()
        let path = world.directory.appendingPathComponent(fileID)
        var text = ""
        let day = rfc3339(time).prefix(10)
        for line in 1...lines {
            let customID = broken[line] == "duplicate" ? "\(workload.name)-\(day)-1" : "\(workload.name)-\(day)-\(line)"
            let url = broken[line] == "url" ? "/v1/completions" : workload.endpoint
            let prompt = filler(rng.int(in: workload.promptChars), rng: &rng)
            let body: JSON
            switch workload.endpoint {
            case "/v1/embeddings":
                body = .object([("model", .string(workload.model)), ("input", .string(prompt)), ("dimensions", .int(64))])
            case "/v1/responses":
                body = .object([("model", .string(workload.model)), ("input", .string(prompt)), ("max_output_tokens", .int(400))])
            default:
                body = .object([("model", .string(workload.model)), ("max_tokens", .int(400)), ("messages", .array([
                    .object([("role", .string("system")), ("content", .string("You are a careful assistant."))]),
                    .object([("role", .string("user")), ("content", .string(prompt))]),
                ]))])
            }
            text += JSON.object([("custom_id", .string(customID)), ("method", .string("POST")), ("url", .string(url)),
                                 ("body", body)]).encoded()
            text += "\n"
        }
        let data = Data(text.utf8)
        _ = FileManager.default.createFile(atPath: path.path, contents: data)
        world.insert(StoredFile(id: fileID, filename: "\(workload.name)-\(day).jsonl", purpose: "batch",
                                bytes: Int64(data.count), createdAt: time - 5, expiresAt: time - 5 + 30 * 86_400, path: path))
        let config = world.config
        let scan = InputScanner.scan(file: path, endpoint: workload.endpoint, maxLines: config.maxRequestsPerBatch,
                                     maxBytes: config.maxBatchFileBytes)
        let input = CreateBatchInput(inputFileID: fileID, endpoint: workload.endpoint, completionWindow: "24h",
                                     metadata: metadata, outputExpiresAfter: nil)
        return world.createBatch(input, scan: scan, at: time, overrides: overrides)
    }

    private static let words = ["customer", "order", "refund", "latency", "invoice", "account", "model", "answer",
                                "ticket", "policy", "review", "shipping", "summary", "error", "update", "request"]

    private static func filler(_ chars: Int, rng: inout SeededGenerator) -> String {
        var out = ""
        out.reserveCapacity(chars + 16)
        while out.utf8.count < chars {
            out += words[Int(rng.next() % UInt64(words.count))]
            out += " "
        }
        return out
    }

    static func rfc3339(_ time: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }
}
