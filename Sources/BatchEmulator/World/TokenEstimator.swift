import Foundation

/// The emulator's one token estimate: about four UTF-8 bytes per token, used for prompts and answers alike, so
/// the usage an answer reports is the usage of the text it carries.
enum TokenEstimator {
    /// Most inputs one embeddings request may carry, like the service.
    static let maxInputsPerRequest = 2_048
    /// Tokens of framing the service adds per message (role, separators).
    static let framingTokens = 3

    /// Tokens in `text`: its UTF-8 bytes over four, rounded up.
    static func tokens(in text: String) -> Int { (text.utf8.count + 3) / 4 }

    /// The longest prefix of `text` within `tokens` tokens, cut between Unicode scalars.
    static func prefix(of text: String, tokens: Int) -> String {
        let limit = max(0, tokens) * 4
        let bytes = Array(text.utf8)
        guard bytes.count > limit else { return text }
        var end = limit
        while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }   // not inside a multi-byte scalar
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// Prompt tokens of a request body: the tokens of every text in it plus framing per text.
    static func inputTokens(_ body: [String: Any]) -> Int {
        var chars = 0
        var strings = 0
        for key in ["messages", "input", "prompt", "instructions"] {
            if let value = body[key] { collect(value, chars: &chars, strings: &strings) }
        }
        return max(1, (chars + 3) / 4 + framingTokens * strings)
    }

    static func inputCount(_ body: [String: Any]) -> Int {
        if let list = body["input"] as? [Any] { return max(1, list.count) }
        return 1
    }

    private static func collect(_ value: Any, chars: inout Int, strings: inout Int) {
        switch value {
        case let text as String:
            chars += text.utf8.count; strings += 1
        case let list as [Any]:
            for item in list { collect(item, chars: &chars, strings: &strings) }
        case let object as [String: Any]:
            for (key, item) in object where key == "content" || key == "text" || key == "input" {
                collect(item, chars: &chars, strings: &strings)
            }
        default:
            break
        }
    }
}
