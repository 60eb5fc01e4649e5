import CNcursesw

/// The only Swift file that calls the shim's signal functions (see the rule in shim.h).
///
/// Quit signals (SIGINT, SIGTERM, SIGHUP, and SIGQUIT from Ctrl+backslash) become `TerminalEvent.quitSignal`
/// through `takeSignal`; fatal signals restore the terminal from inside the handler and re-raise;
/// Ctrl-Z is ncurses' own suspend and resume.
///
/// SIGQUIT is a quit signal, why: left alone, Swift's runtime backtracer catches it, paints a crash
/// report over the dashboard and kills the process with the terminal still in raw mode.
enum SignalGuard {
    /// Saves terminal modes and installs handlers; call before ncurses starts.
    static func install() {
        batchtop_save_termios()
        batchtop_install_signal_handlers()
    }

    /// Records what a fatal handler writes to restore the screen; call after ncurses starts.
    static func screenStarted() {
        batchtop_capture_restore_sequence()
        batchtop_set_screen_active(1)
    }

    /// Marks the screen as restored, so a later crash writes nothing.
    static func screenStopped() {
        batchtop_set_screen_active(0)
    }

    /// Puts the default signal dispositions back.
    static func uninstall() { batchtop_restore_signal_handlers() }

    /// The quit signal received since the last call, if any.
    static func takeSignal() -> Int32? {
        let s = batchtop_take_signal()
        return s == 0 ? nil : s
    }
}
