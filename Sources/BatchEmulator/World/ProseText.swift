/// Deterministic prose for synthetic answers: whole sentences, a paragraph break every few.
enum ProseText {
    private static let sentences = [
        "The request was processed and the key points are summarised below.",
        "In short: the customer asked for a refund and the agent approved it.",
        "The evaluation passed 9 of 10 checks; the failing check concerns date formats.",
        "No policy violation was found in the reviewed content.",
        "Here is a concise answer based on the provided context.",
        "The ticket is about a billing discrepancy that was resolved by a credit note.",
        "The model output matches the reference answer within tolerance.",
        "Two follow-up actions are recommended: verify the account and close the ticket.",
        "The shipping delay was caused by a missing customs form, which has since been filed.",
        "According to the attached invoice, the amount due is correct and already paid.",
        "The reviewer flagged one paragraph as unclear and suggested a shorter wording.",
        "Latency stayed under the agreed threshold for the whole reporting period.",
        "The account was updated with the new address, and a confirmation email was sent.",
        "Overall sentiment is positive, with two complaints about response times.",
        "The summary below lists the order, the issue raised, and how it was resolved.",
        "Next, the policy section on returns applies, since the item was unopened.",
    ]

    /// Sentence number `n` (any integer).
    static func sentence(_ n: Int) -> String { sentences[Int(n.magnitude % UInt(sentences.count))] }

    /// About `tokens` tokens of prose (whole sentences, at least one), drawn from `rng`.
    static func answer(tokens: Int, rng: inout SeededGenerator) -> String {
        let bytes = max(1, tokens) * 4
        var out = ""
        out.reserveCapacity(bytes + 96)
        var inParagraph = 0
        var last = -1
        repeat {
            if !out.isEmpty {
                if inParagraph >= 3, rng.next() % 2 == 0 { out += "\n\n"; inParagraph = 0 } else { out += " " }
            }
            var next = Int(rng.next() % UInt64(sentences.count))
            if next == last { next = (next + 1) % sentences.count }   // never the same sentence twice in a row
            out += sentences[next]
            last = next
            inParagraph += 1
        } while out.utf8.count < bytes
        return out
    }
}
