import Foundation

/// One append-only audit row: who did what, when, to which targets, with what outcome.
///
/// Rule: rows are hash-chained (`hash` = SHA-256 over the canonical row including `prevHash`), why: an
/// edited or deleted row breaks the chain, so `batchtop audit --verify` detects tampering. Rule: each row
/// written with an audit key also carries `mac` = HMAC-SHA256 of its hash under a key kept outside the
/// database (`AuditKey`), why: the hash algorithm is public, so without the MAC anyone who can write the
/// database could rewrite a row and re-hash every row after it.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// Row id, ascending in append order.
    public var id: Int64
    /// When it happened (unix seconds).
    public var at: Int64
    /// Who acted: an identity from config or the login name, or `advisor`.
    public var actor: String
    /// What was done, e.g. `cancel`, `resubmit`, `decision.approve`.
    public var action: String
    /// Job ids, decision ids or workloads acted on.
    public var targets: [String]
    /// Parameters of the action, redacted (`AuditDraft.redacted`).
    public var parameters: [String: String]
    /// What happened, in words (`requested`, `refused: ...`, `created batch_...`).
    public var outcome: String
    /// The provider's `x-request-id`, when a provider call was made and answered.
    public var providerRequestID: String?
    /// The previous row's hash; nil for the first row.
    public var prevHash: String?
    /// SHA-256 hex over `canonical`.
    public var hash: String
    /// HMAC-SHA256 hex of `hash` under the audit key; nil for rows written without a key (before
    /// keying existed, or by a store opened without one).
    public var mac: String?

    public init(id: Int64, at: Int64, actor: String, action: String, targets: [String], parameters: [String: String],
                outcome: String, providerRequestID: String?, prevHash: String?, hash: String, mac: String? = nil) {
        self.id = id; self.at = at; self.actor = actor; self.action = action; self.targets = targets
        self.parameters = parameters; self.outcome = outcome; self.providerRequestID = providerRequestID
        self.prevHash = prevHash; self.hash = hash; self.mac = mac
    }

    /// The action of the row the store appends when it finds the audit's protection triggers missing
    /// or altered and restores them.
    public static let protectionRestoredAction = "audit.protection.restored"

    /// The exact bytes the hash covers: every field but `hash`, as sorted-key JSON.
    ///
    /// Rule: the id is part of it, why: swapping two rows' contents must also break the chain.
    public static func canonical(id: Int64, at: Int64, actor: String, action: String, targetsJSON: String,
                                 parametersJSON: String, outcome: String, providerRequestID: String?, prevHash: String?) -> String {
        let fields: [String] = [
            String(id), String(at), jsonString(actor), jsonString(action), targetsJSON, parametersJSON, jsonString(outcome),
            providerRequestID.map(jsonString) ?? "null", prevHash.map(jsonString) ?? "null",
        ]
        return "[" + fields.joined(separator: ",") + "]"
    }

    /// The chain hash of a canonical row.
    public static func hash(canonical: String) -> String { SHA256.hex(Data(canonical.utf8)) }

    /// `["a","b"]` with the targets in the order given.
    public static func targetsJSON(_ targets: [String]) -> String {
        "[" + targets.map(jsonString).joined(separator: ",") + "]"
    }

    /// `{"k":"v",...}` with keys sorted, so equal parameters always hash the same.
    public static func parametersJSON(_ parameters: [String: String]) -> String {
        BatchJSONWriter.encodeMetadata(parameters)
    }

    /// A JSON string literal, escaped by the store's JSON writer (one escaping rule for every stored JSON).
    static func jsonString(_ s: String) -> String {
        var buffer = JSONBuffer(capacity: s.utf8.count + 2)
        buffer.string(s)
        return buffer.text
    }
}

/// An audit row about to be appended (the store assigns id, chain and hash).
public struct AuditDraft: Sendable, Hashable {
    public var at: Int64
    public var actor: String
    public var action: String
    public var targets: [String]
    public var parameters: [String: String]
    public var outcome: String
    public var providerRequestID: String?

    /// A draft whose parameters and outcome are redacted on the way in (`secrets`: the configured keys).
    public init(at: Int64, actor: String, action: String, targets: [String], parameters: [String: String] = [:],
                outcome: String, providerRequestID: String? = nil, secrets: [Secret] = []) {
        self.at = at; self.actor = actor; self.action = action; self.targets = targets
        self.parameters = Self.redacted(parameters, secrets: secrets); self.outcome = Self.redactedValue(outcome, secrets: secrets)
        self.providerRequestID = providerRequestID
    }

    /// Parameter names that never enter the audit, whatever their value.
    static let forbiddenKeyFragments = ["key", "token", "secret", "authorization", "password", "body", "content"]

    /// Drops parameters named like credentials or payloads and masks values that look like keys.
    ///
    /// Rule: keys, tokens and request bodies never enter the audit, why: the audit is kept forever and
    /// shown to everyone who can read the database.
    public static func redacted(_ parameters: [String: String], secrets: [Secret] = []) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in parameters {
            let lower = name.lowercased()
            if forbiddenKeyFragments.contains(where: { lower.contains($0) }) { continue }
            out[name] = redactedValue(value, secrets: secrets)
        }
        return out
    }

    /// Replaces the configured `secrets`, anything shaped like an OpenAI key (`sk-...`) and bearer
    /// tokens by `[redacted]`, and caps the length.
    ///
    /// The one redaction of stored text: the audit and the decisions table (reasons, comments) use it.
    public static func redactedValue(_ value: String, secrets: [Secret] = []) -> String {
        var words = Secret.redact(value, secrets: secrets, replacement: "[redacted]").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var maskNext = false
        for i in words.indices {
            let w = words[i].drop(while: { !$0.isLetter })
            if maskNext || w.hasPrefix("sk-") || w.hasPrefix("Bearer") {
                // The word after "Bearer" is the token itself.
                maskNext = w.hasPrefix("Bearer") && !maskNext
                words[i] = "[redacted]"
            }
        }
        return String(words.joined(separator: " ").prefix(1000))
    }
}

