import CNcursesw
import Dashboard
import Glibc

/// The real terminal, through ncursesw: alternate screen, wide characters, colours on demand.
///
/// Not thread-safe: ncurses is not, so one thread (the runtime loop) owns it.
public final class NCursesTerminal: TerminalDevice {
    /// Start-up choices.
    public struct Options: Sendable {
        /// Handle clicks and the wheel.
        public var mouse: Bool
        /// How long to wait after Esc for the rest of an escape sequence (ms).
        public var escapeDelayMilliseconds: Int32
        /// Ignore the terminal's colours entirely (`--no-color`, `NO_COLOR`).
        public var noColor: Bool

        public init(mouse: Bool = false, escapeDelayMilliseconds: Int32 = 25, noColor: Bool = false) {
            self.mouse = mouse; self.escapeDelayMilliseconds = escapeDelayMilliseconds; self.noColor = noColor
        }
    }

    private let options: Options
    private var screenHandle: OpaquePointer?
    private var pairs = ColorPairCache(capacity: 0)
    private var attrBits: [attr_t] = []
    private var depth: ColorDepth = .none
    private var running = false
    private let wakePipe = WakePipe()

    public init(options: Options = Options()) { self.options = options }

    public var wake: @Sendable () -> Void {
        let pipe = wakePipe
        return { pipe?.wake() }
    }

    deinit { stop() }

    public var size: TerminalSize {
        running ? TerminalSize(width: Int(batchtop_cols()), height: Int(batchtop_lines())) : TerminalSize(width: 0, height: 0)
    }

    public var colorDepth: ColorDepth { depth }

    public func start() throws(TerminalError) {
        guard !running else { return }
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            throw TerminalError(message: "stdin and stdout must be a terminal", fix: "use --once, or a headless command such as `batchtop jobs`")
        }
        setlocale(LC_ALL, "")
        SignalGuard.install()
        set_escdelay(options.escapeDelayMilliseconds)
        guard let screen = batchtop_newterm() else {
            SignalGuard.uninstall()
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError(message: "cannot open the terminal: TERM=\(term) is not in the terminfo database", fix: "set TERM to a known type such as xterm-256color")
        }
        screenHandle = screen
        running = true
        SignalGuard.screenStarted()
        cbreak()
        noecho()
        nonl()
        let win = batchtop_stdscr()
        keypad(win, true)
        leaveok(win, true)
        scrollok(win, false)
        curs_set(0)
        if !options.noColor && has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colorCount: Int(batchtop_colors()))
            pairs = ColorPairCache(capacity: batchtop_color_pairs())
        } else {
            depth = .none
        }
        if options.mouse { batchtop_enable_mouse() }
        attrBits = [batchtop_attr_bold(), batchtop_attr_dim(), batchtop_attr_underline(), batchtop_attr_reverse(), batchtop_attr_italic()]
    }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        if let s = SignalGuard.takeSignal() { return .quitSignal(s) }
        guard running else { return nil }
        guard let wakePipe, timeoutMilliseconds > 0 else { return readKey(timeoutMilliseconds: timeoutMilliseconds) }
        // A key ncurses already buffered (the rest of a paste) is not visible to poll: read it first.
        if let event = readKey(timeoutMilliseconds: 0) { return event }
        // Wait for a key, a wake-up or a signal (SIGWINCH, SIGINT and SIGTERM all end poll with EINTR).
        var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, Int32(timeoutMilliseconds))
        if fds[1].revents != 0 { wakePipe.drain() }
        return readKey(timeoutMilliseconds: 0)
    }

    /// One key (or resize) from ncurses, waiting at most `timeoutMilliseconds`.
    private func readKey(timeoutMilliseconds: Int) -> TerminalEvent? {
        var ch: wint_t = 0
        let rc = batchtop_read_key(Int32(max(0, timeoutMilliseconds)), &ch)
        if let s = SignalGuard.takeSignal() { return .quitSignal(s) }
        if rc == KEY_CODE_YES {
            let code = Int32(bitPattern: ch)
            if code == KEY_RESIZE { return .resize(size) }
            if code == KEY_MOUSE { return mouseEvent().map { .key($0) } }
            return KeyDecoder.functionKey(code).map { .key($0) }
        }
        if rc == OK { return KeyDecoder.character(UInt32(ch)).map { .key($0) } }
        return nil
    }

    private func mouseEvent() -> Key? {
        var x: Int32 = 0, y: Int32 = 0
        var buttons: UInt = 0
        guard batchtop_mouse(&x, &y, &buttons) == 1 else { return nil }
        if buttons & batchtop_mouse_wheel_up() != 0 { return .wheelUp }
        let down = batchtop_mouse_wheel_down()
        if down != 0 && buttons & down != 0 { return .wheelDown }
        if buttons & batchtop_mouse_button1_clicked() != 0 { return .click(x: Int(x), y: Int(y)) }
        return nil
    }

    public func draw(_ screen: Screen, previous: Screen?) {
        guard running else { return }
        let full = previous == nil || previous?.width != screen.width || previous?.height != screen.height
        if full {
            // After a resize or a resume the physical screen is unknown: repaint everything.
            clearok(batchtop_stdscr(), true)
        }
        let limitW = Int(batchtop_cols()), limitH = Int(batchtop_lines())
        var buffer: [wchar_t] = []
        buffer.reserveCapacity(8)
        for run in screen.diff(from: full ? nil : previous) where run.y < limitH {
            var x = run.x
            for cell in run.cells {
                defer { x += 1 }
                if cell.isContinuation || x >= limitW { continue }
                buffer.removeAll(keepingCapacity: true)
                for s in cell.character.unicodeScalars { buffer.append(wchar_t(bitPattern: s.value)) }
                buffer.append(0)
                let pair = pairFor(cell.style)
                let attrs = attributes(cell.style.attributes)
                _ = buffer.withUnsafeBufferPointer { batchtop_put_cell(Int32(run.y), Int32(x), $0.baseAddress, attrs, pair) }
            }
        }
        wnoutrefresh(batchtop_stdscr())
        doupdate()
    }

    private func pairFor(_ style: CellStyle) -> Int32 {
        guard depth != .none else { return 0 }
        let (pair, isNew) = pairs.pair(fg: style.fg, bg: style.bg)
        if isNew { init_extended_pair(pair, Int32(style.fg.index), Int32(style.bg.index)) }
        return pair
    }

    private func attributes(_ a: TextAttributes) -> attr_t {
        if a.isEmpty { return 0 }
        var bits: attr_t = 0
        let all: [TextAttributes] = [.bold, .dim, .underline, .reverse, .italic]
        for (i, flag) in all.enumerated() where a.contains(flag) { bits |= attrBits[i] }
        return bits
    }

    public func stop() {
        guard running else { return }
        running = false
        endwin()
        SignalGuard.screenStopped()
        if let s = screenHandle { delscreen(s) }
        screenHandle = nil
        SignalGuard.uninstall()
    }
}
