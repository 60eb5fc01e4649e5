import Dashboard

/// An in-memory terminal for tests: scripted input, and a grid that draws apply diffs to.
///
/// Rule: `draw` applies only the runs of `Screen.diff`, never the whole screen, why: tests then
/// prove the diff path leaves the terminal showing exactly the rendered frame.
public final class TestTerminal: TerminalDevice {
    public private(set) var size: TerminalSize
    public let colorDepth: ColorDepth
    /// What the terminal shows now.
    public private(set) var grid: Screen
    /// Events still to deliver; `nextEvent` pops from the front, nil when empty (a timeout).
    public var pendingEvents: [TerminalEvent] = []
    /// Whether `start` was called.
    public private(set) var started = false
    /// Whether `stop` was called (the terminal was restored).
    public private(set) var stopped = false
    /// How many frames were drawn.
    public private(set) var drawCount = 0
    /// Cells written by the last draw.
    public private(set) var lastDrawCells = 0

    public init(width: Int = 80, height: Int = 24, colorDepth: ColorDepth = .ansi256) {
        size = TerminalSize(width: width, height: height)
        self.colorDepth = colorDepth
        grid = Screen(width: width, height: height)
    }

    public func start() throws(TerminalError) { started = true }

    /// Queues keys to be read.
    public func type(_ keys: Key...) { pendingEvents.append(contentsOf: keys.map { .key($0) }) }

    /// Queues a string typed one character at a time.
    public func type(text: String) { pendingEvents.append(contentsOf: text.map { .key(.char($0)) }) }

    /// Changes the size and queues the resize event, as SIGWINCH would.
    public func resize(width: Int, height: Int) {
        size = TerminalSize(width: width, height: height)
        pendingEvents.append(.resize(size))
    }

    /// Scripted events never wait, so there is nothing to wake.
    public var wake: @Sendable () -> Void { {} }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
    }

    public func draw(_ screen: Screen, previous: Screen?) {
        drawCount += 1
        if grid.width != screen.width || grid.height != screen.height || previous == nil {
            grid = Screen(width: screen.width, height: screen.height, fill: Cell("?"))
        }
        var written = 0
        for run in screen.diff(from: previous) {
            for (i, cell) in run.cells.enumerated() where run.x + i < grid.width {
                grid[run.x + i, run.y] = cell
                written += 1
            }
        }
        lastDrawCells = written
    }

    public func stop() { stopped = true }

    /// The grid as text, trailing spaces trimmed.
    public var text: String { grid.text }
}
