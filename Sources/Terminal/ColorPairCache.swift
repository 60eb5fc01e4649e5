import Dashboard

/// Hands out ncurses colour pairs for (fg, bg) combinations on first use.
///
/// Rule: pairs are allocated on demand and never freed within a session, why: a theme uses a few
/// dozen combinations; when the terminal's pair limit is reached, new combinations fall back to
/// pair 0 (default colours) rather than recycling pairs that cells on screen still use.
public struct ColorPairCache: Sendable {
    private var pairs: [Key: Int32] = [:]
    private var nextPair: Int32 = 1
    /// How many pairs the terminal supports (COLOR_PAIRS).
    public let capacity: Int32

    struct Key: Hashable, Sendable { var fg: Int16; var bg: Int16 }

    public init(capacity: Int32) { self.capacity = capacity }

    /// The pair for a combination and whether it must be initialised (first use).
    public mutating func pair(fg: TerminalColor, bg: TerminalColor) -> (pair: Int32, isNew: Bool) {
        if fg.isDefault && bg.isDefault { return (0, false) }
        let key = Key(fg: fg.index, bg: bg.index)
        if let p = pairs[key] { return (p, false) }
        guard nextPair < capacity else { return (0, false) }
        let p = nextPair
        nextPair += 1
        pairs[key] = p
        return (p, true)
    }

    /// Number of pairs allocated so far.
    public var allocated: Int { pairs.count }
}
