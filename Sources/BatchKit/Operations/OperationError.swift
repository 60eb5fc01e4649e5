import Foundation

/// Why an operator action was refused or could not be completed; each case says what to do.
public enum OperationError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// `--readonly` or `[ui] readonly = true`.
    case readOnly(action: String)
    case noSuchJob(String)
    case noSuchDecision(String)
    /// The acting identity is not in `[approvals] approvers`.
    case notAnApprover(actor: String, approvers: [String])
    /// The requester tried to approve their own decision.
    case selfApproval(actor: String, decisionID: String)
    case decisionNotPending(id: String, state: RoutingDecision.State)
    /// No identity from config or the login name.
    case noIdentity
    case invalidInput(String)
    /// The job is not in a state the action accepts.
    case jobState(jobID: String, status: String, why: String)
    /// A file needed for the action is not available locally or at the provider.
    case fileUnavailable(jobID: String, kind: String, why: String)
    case fileUnreadable(path: String, reason: String)
    /// A file the action writes (results, a plan) could not be written.
    case fileUnwritable(path: String, reason: String)
    /// The action needs the provider and no API client was configured.
    case noProvider(action: String)

    public var description: String {
        switch self {
        case .readOnly(let action):
            return "refusing to \(action): batchtop is read-only (--readonly or [ui] readonly = true in config.toml); drop the flag or set readonly = false to act"
        case .noSuchJob(let id):
            return "no job \(UntrustedText.singleLine(id, limit: 80).debugDescription) in the database; run `batchtop sync` or check `batchtop jobs`"
        case .noSuchDecision(let id):
            return "no decision \(UntrustedText.singleLine(id, limit: 80).debugDescription); see `batchtop decisions`"
        case .notAnApprover(let actor, let approvers):
            let list = approvers.isEmpty ? "nobody is listed" : "approvers: " + approvers.joined(separator: ", ")
            return "\(actor) may not approve or reject decisions (\(list)); add them to [approvals] approvers in config.toml"
        case .selfApproval(let actor, let id):
            return "\(actor) raised decision \(id) and cannot approve it; ask another approver, or set allow_self_approval = true under [approvals]"
        case .decisionNotPending(let id, let state):
            return "decision \(id) is already \(state); only pending decisions can be approved or rejected"
        case .noIdentity:
            return "no identity: set name under [identity] in config.toml (or $USER); every action records who made it"
        case .invalidInput(let message):
            return message
        case .jobState(let id, let status, let why):
            return "job \(id) is \(status): \(why)"
        case .fileUnavailable(let id, let kind, let why):
            return "the \(kind) file of job \(id) is not available: \(why)"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .fileUnwritable(let path, let reason):
            return "cannot write \(path): \(reason); check that the directory exists, is writable and has room"
        case .noProvider(let action):
            return "\(action) needs the provider: configure an API key (OPENAI_API_KEY or [api] api_key_file)"
        }
    }

    public var errorDescription: String? { description }
}
