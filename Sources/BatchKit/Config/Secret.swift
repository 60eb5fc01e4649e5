import Foundation

/// A credential (API key, admin key) that never prints itself: every textual form is masked.
///
/// Rule: the raw value is reachable only through `revealForAuthorizationHeader()`, why: keys must never
/// reach logs, errors, the database or the screen, and a grep for that one name finds every use.
/// Not `Codable` on purpose, so a key cannot be persisted by accident.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps a raw key; surrounding whitespace (a trailing newline from a key file) is dropped.
    public init(_ value: String) {
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether the key is empty (an unset variable or an empty key file).
    public var isEmpty: Bool { value.isEmpty }

    /// The raw key, for the `Authorization` header only.
    public func revealForAuthorizationHeader() -> String { value }

    /// The key masked as `sk-...abcd`: the `sk-` prefix when present, and the last four characters only
    /// when the key is long enough that they give nothing away.
    public var masked: String { Self.mask(value) }

    public var description: String { masked }
    public var debugDescription: String { "Secret(\(masked))" }
    public var customMirror: Mirror { Mirror(self, children: ["masked": masked], displayStyle: .struct) }

    /// Masks any string the way a `Secret` masks itself.
    static func mask(_ raw: String) -> String {
        let prefix = raw.hasPrefix("sk-") ? "sk-" : ""
        guard raw.count >= 16 else { return prefix + "..." }
        return prefix + "..." + String(raw.suffix(4))
    }

    /// `url` as text with any user name and password replaced by `***` (`https://***:***@host/v1`).
    ///
    /// Rule: every place that shows the base URL (`info`, the dashboard header) shows it through here,
    /// why: a proxy's credentials in `OPENAI_BASE_URL` are as secret as the key.
    public static func maskedURL(_ url: URL) -> String {
        guard url.user != nil || url.password != nil,
              var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url.absoluteString }
        parts.percentEncodedUser = "***"
        if parts.percentEncodedPassword != nil { parts.percentEncodedPassword = "***" }
        return parts.string ?? "\(url.scheme ?? "https")://***@\(url.host ?? "")"
    }

    /// `text` with every occurrence of the given secrets and anything shaped like an OpenAI key
    /// (`sk-` followed by 8 or more key characters) replaced by its mask, or by `replacement`.
    ///
    /// Rule: applied to every provider message before it is stored in an error, and (through
    /// `AuditDraft.redactedValue`) to everything a person types that is stored, why: the provider echoes
    /// (partly masked) keys in 401 messages, a proxy might echo them whole, and a key pasted into
    /// `--reason` must not live on in the decisions table.
    public static func redact(_ text: String, secrets: [Secret] = [], replacement: String? = nil) -> String {
        var out = text
        for secret in secrets where !secret.value.isEmpty {
            out = out.replacingOccurrences(of: secret.value, with: replacement ?? secret.masked)
        }
        return out.replacing(/sk-[A-Za-z0-9_\-*]{8,}/) { match in replacement ?? mask(String(match.output)) }
    }
}
