import BatchKit

/// What the dashboard is connected to and how it was started; fixed for a session.
public struct DashboardContext: Hashable, Sendable {
    /// Organisation or project name, if known.
    public var organization: String?
    /// The API base URL (the emulator's address in the demo).
    public var baseURL: String
    /// The lanes this account routes to.
    public var lanes: [Lane]
    /// `--readonly`: every write action is removed.
    public var readOnly: Bool
    /// `--ascii`: ASCII glyphs only.
    public var ascii: Bool
    /// Whether mouse clicks and the wheel are handled.
    public var mouse: Bool

    public init(
        organization: String? = nil, baseURL: String, lanes: [Lane] = Lane.allCases, readOnly: Bool = false,
        ascii: Bool = false, mouse: Bool = false
    ) {
        self.organization = organization; self.baseURL = baseURL; self.lanes = lanes
        self.readOnly = readOnly; self.ascii = ascii; self.mouse = mouse
    }
}

