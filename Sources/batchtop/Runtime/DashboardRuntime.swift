import BatchKit
import Dashboard
import Terminal

/// The dashboard's event loop: read a key (short timeout), drain the mailbox, tick the clock,
/// reduce, render, and draw only what changed.
///
/// Runs on one thread (ncurses is single-threaded); background work reaches it only through the
/// mailbox.
final class DashboardRuntime {
    private let terminal: TerminalDevice
    private let backend: DashboardBackend
    private let clock: WallClock
    private let theme: Theme
    private let keyMap: KeyMap
    private let inputTimeoutMilliseconds: Int
    let mailbox: DashboardMailbox
    private(set) var state: AppState
    private var palette: Palette
    private var previous: Screen?
    private var dirty = true

    init(
        terminal: TerminalDevice, backend: DashboardBackend, clock: WallClock, context: DashboardContext,
        theme: Theme, keyMap: KeyMap = .standard, inputTimeoutMilliseconds: Int = 100
    ) {
        self.terminal = terminal; self.backend = backend; self.clock = clock; self.theme = theme
        self.keyMap = keyMap; self.inputTimeoutMilliseconds = inputTimeoutMilliseconds
        mailbox = DashboardMailbox(wake: terminal.wake)
        state = AppState(context: context, now: clock.unixNow())
        palette = theme.palette(depth: terminal.colorDepth)
    }

    /// Takes over the terminal, shows the first frame, and loops until quit; data arrives through
    /// the mailbox as the backend reads it.
    /// The terminal is restored on every path out, errors included.
    func run(maxSteps: Int? = nil) throws {
        try terminal.start()
        defer {
            backend.stop()
            terminal.stop()
        }
        palette = theme.palette(depth: terminal.colorDepth)
        let size = terminal.size
        apply(.resize(width: size.width, height: size.height))
        // The first frame shows at once (jobs "loading…"); the backend posts the data when read.
        draw()
        backend.start(mailbox: mailbox)
        var steps = 0
        while !state.quitting {
            if let maxSteps, steps >= maxSteps { break }
            step()
            steps += 1
        }
    }

    /// One turn of the loop: wait for input, take every event already queued (a paste or key
    /// repeat is one frame, not one per key), then everything in the mailbox, then time.
    func step() {
        // Data that arrived while the last frame was drawn comes before the next keys, why: a key acts
        // on what the operator saw, and the first frame is drawn before the backend's first read lands.
        for action in mailbox.drain() { apply(action) }
        if dirty && !state.quitting { draw() }
        var timeout = inputTimeoutMilliseconds
        for _ in 0..<64 {
            guard let event = terminal.nextEvent(timeoutMilliseconds: timeout) else { break }
            timeout = 0
            switch event {
            case .key(let key): apply(.key(key))
            case .resize(let size):
                apply(.resize(width: size.width, height: size.height))
                previous = nil
            case .quitSignal:
                apply(.key(.ctrl("c")))
            }
            if state.quitting { break }
        }
        for action in mailbox.drain() { apply(action) }
        let now = clock.unixNow()
        if now != state.now { apply(.tick(now: now)) }
        if dirty && !state.quitting { draw() }
    }

    /// Reduces one action and hands its effects to the backend.
    func apply(_ action: Action) {
        let effects = reduce(&state, action, keyMap: keyMap)
        dirty = true
        for effect in effects where effect != .quit {
            backend.perform(effect, mailbox: mailbox)
        }
    }

    private func draw() {
        let screen = render(state, palette: palette, keyMap: keyMap)
        terminal.draw(screen, previous: previous)
        previous = screen
        dirty = false
    }

    /// Renders one frame as plain text without touching the terminal: `--once`.
    static func renderOnce(
        backend: DashboardBackend, clock: WallClock, context: DashboardContext, theme: Theme, width: Int, height: Int,
        pane: Pane = .jobs
    ) throws -> String {
        var state = AppState(context: context, width: width, height: height, now: clock.unixNow())
        for action in try backend.initialActions() { _ = reduce(&state, action) }
        _ = reduce(&state, .key(.char(Character(String(pane.rawValue)))))
        return render(state, palette: theme.palette(depth: .none)).text
    }
}
