/// Estimates a request's input tokens from its body's size, erring high, because no tokenizer ships offline.
///
/// No tokenizer for the OpenAI encodings (`o200k_base`, `cl100k_base`) is available to the project
/// offline: the encodings are data files that tokenizer libraries download on first use. So every
/// figure from here is marked `exact: false`.
///
/// Rule: tokens = ceil(UTF-8 bytes of the whole `body` JSON / 3) + `perRequestOverhead`, why:
/// - English prose averages about 4 characters per token; dividing by 3 over-counts prose by ~33%.
/// - The body also counts its JSON syntax (keys, quotes, `"role":"user"`, `"model":...`), which the
///   provider does not bill as text; that covers the few tokens of per-message framing chat formats add.
/// - Code, digits and CJK text (3 bytes per character, about 1 token each) come out near 1:1.
/// It can err low only for text that tokenizes worse than 3 bytes per token: long hex or base64-like
/// ids, or rare emoji. Erring high only holds a chunk longer in the local queue; erring low risks a
/// `token_limit_exceeded` failure, which `RequeuePolicy` re-queues once.
public struct TokenEstimator: Sendable, Hashable {
    /// Body bytes per token; smaller is more conservative.
    public var bytesPerToken: Int
    /// Tokens added to every request for framing the body bytes do not show.
    public var perRequestOverhead: Int

    public init(bytesPerToken: Int = 3, perRequestOverhead: Int = 4) {
        self.bytesPerToken = max(1, bytesPerToken); self.perRequestOverhead = max(0, perRequestOverhead)
    }

    /// The estimated input tokens of a request whose `body` JSON is `bodyBytes` long.
    @inline(__always)
    public func estimate(bodyBytes: Int) -> Int {
        guard bodyBytes > 0 else { return 0 }
        return (bodyBytes + bytesPerToken - 1) / bytesPerToken + perRequestOverhead
    }

    /// The estimate as a `TokenCount` (always `exact: false`).
    public func count(bodyBytes: Int) -> TokenCount {
        TokenCount(value: Int64(estimate(bodyBytes: bodyBytes)), exact: false)
    }
}
