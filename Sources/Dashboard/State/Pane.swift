/// The four top-level panes, switched with `1..4` and `Tab`.
public enum Pane: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case jobs = 1, queue, spend, decisions

    public var description: String {
        switch self {
        case .jobs: return "Jobs"
        case .queue: return "Queue"
        case .spend: return "Spend"
        case .decisions: return "Decisions"
        }
    }

    /// The pane after this one, wrapping.
    public var next: Pane { Pane(rawValue: rawValue % 4 + 1)! }
    /// The pane before this one, wrapping.
    public var previous: Pane { Pane(rawValue: (rawValue + 2) % 4 + 1)! }
}

/// Where keys go: the pane list, the job detail, or an input line.
public enum InputMode: Hashable, Sendable {
    case normal
    /// Typing the `/` filter; the list filters as you type.
    case filter
    /// Typing a `:` command.
    case command(String)
}

/// A short message at the bottom that disappears by itself.
public struct Toast: Hashable, Sendable {
    /// Information, success or failure; picks the colour.
    public enum Kind: Hashable, Sendable { case info, ok, error }
    /// The message (sanitised when drawn).
    public var text: String
    /// How it is coloured.
    public var kind: Kind
    /// Unix seconds after which the toast is gone.
    public var expiresAt: Int64

    public init(_ text: String, kind: Kind, expiresAt: Int64) { self.text = text; self.kind = kind; self.expiresAt = expiresAt }
}
