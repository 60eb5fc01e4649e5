import Dashboard

/// A terminal the runtime can draw on and read keys from: ncurses for real, in memory for tests.
public protocol TerminalDevice: AnyObject {
    /// The current size in cells.
    var size: TerminalSize { get }
    /// How many colours it can show.
    var colorDepth: ColorDepth { get }
    /// Takes over the terminal (alternate screen, raw-ish input).
    func start() throws(TerminalError)
    /// The next input event, waiting at most `timeoutMilliseconds`; nil on timeout or after `wake`.
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// Ends a `nextEvent` wait early; safe to call from any thread.
    var wake: @Sendable () -> Void { get }
    /// Draws `screen`, sending only what changed since `previous` (nil: redraw everything).
    func draw(_ screen: Screen, previous: Screen?)
    /// Gives the terminal back exactly as it was. Safe to call twice.
    func stop()
}

/// A terminal size in cells.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    public init(width: Int, height: Int) { self.width = width; self.height = height }

    public var description: String { "\(width)x\(height)" }
}

/// Something that happened at the terminal.
public enum TerminalEvent: Hashable, Sendable {
    case key(Key)
    case resize(TerminalSize)
    /// SIGINT, SIGTERM or SIGHUP arrived: quit cleanly.
    case quitSignal(Int32)
}

/// Why the terminal could not be used, with what to do about it.
public struct TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String
    /// What to do about it.
    public var fix: String

    public init(message: String, fix: String) { self.message = message; self.fix = fix }

    public var description: String { "\(message) (\(fix))" }
}
