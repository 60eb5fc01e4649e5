import Foundation

/// The operator actions, shared by the commands and the dashboard's effects: cancel, resubmit,
/// results, reclassify, approve, reject, route explain.
///
/// Rule: every action, refused or done, appends an audit row naming the actor, why: the audit must
/// show what was attempted, not only what succeeded. Rule: write actions check `readOnly` first.
public struct OperationsService: Sendable {
    public let store: BatchStore
    /// The provider; nil when no key is configured (decisions and results still work).
    public let api: (any BatchAPI)?
    public let clock: any WallClock
    /// Who is acting (config `[identity] name` or the login name).
    public let actor: String
    public let settings: OperationsSettings
    /// Where downloaded and generated files live (`<data>/files/<job>/...`).
    public let dataDirectory: URL
    public let readOnly: Bool
    /// Provider request ids for audit rows, when the client reports them.
    public let requestIDs: RequestIDLog?
    /// The configured credentials (`APISettings.secrets`): redacted from everything typed that is stored.
    public let secrets: [Secret]

    public init(store: BatchStore, api: (any BatchAPI)?, clock: any WallClock, actor: String, settings: OperationsSettings,
                dataDirectory: URL, readOnly: Bool = false, requestIDs: RequestIDLog? = nil, secrets: [Secret] = []) {
        self.store = store; self.api = api; self.clock = clock; self.actor = actor; self.settings = settings
        self.dataDirectory = dataDirectory; self.readOnly = readOnly; self.requestIDs = requestIDs; self.secrets = secrets
    }

    /// Text a person typed (a reason, a comment), redacted before it is stored or shown.
    func redacted(_ typed: String) -> String { AuditDraft.redactedValue(typed, secrets: secrets) }

    /// Throws `OperationError.readOnly` when writes are off.
    func requireWritable(_ action: String) throws(OperationError) {
        if readOnly { throw .readOnly(action: action) }
    }

    func requireAPI(_ action: String) throws(OperationError) -> any BatchAPI {
        guard let api else { throw .noProvider(action: action) }
        return api
    }

    @discardableResult
    func audit(_ action: String, targets: [String], _ parameters: [String: String] = [:], outcome: String,
               requestID: String? = nil) throws -> AuditRecord {
        try store.appendAudit(draft(action, targets: targets, parameters, outcome: outcome, requestID: requestID))
    }

    func draft(_ action: String, targets: [String], _ parameters: [String: String] = [:], outcome: String,
               requestID: String? = nil) -> AuditDraft {
        AuditDraft(at: clock.unixNow(), actor: actor, action: action, targets: targets, parameters: parameters,
                   outcome: outcome, providerRequestID: requestID ?? requestIDs?.take(), secrets: secrets)
    }

    /// The job as the provider sees it now, stored; falls back to the stored copy when the provider
    /// cannot be asked. Why: acting on a stale status (a job that finished since the last sync) would
    /// refuse or repeat the wrong thing, and a job the store has not seen yet can still be acted on.
    func refreshedRecord(_ id: String) async throws -> JobRecord? {
        let stored = try store.jobDetail(id: id)
        guard let api else { return stored }
        let providerID = stored?.job.id ?? id
        guard providerID.hasPrefix("batch_"), let batch = try? await api.retrieveBatch(id: providerID) else { return stored }
        try store.recordObservedBatch(batch, observedAt: clock.unixNow())
        return try store.jobDetail(id: providerID)
    }

    static func requestID(of error: Error) -> String? { RequestIDLog.clean((error as? APIError)?.requestID) }

    /// A fresh id with a prefix: `dec_` or `bt_` + 12 hex characters.
    static func newID(_ prefix: String) -> String {
        prefix + String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 16).leftPadded(to: 12)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
