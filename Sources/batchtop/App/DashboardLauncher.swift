import BatchKit
import Dashboard
import Foundation
import Terminal

/// Starts the dashboard over an environment: the full-screen TUI on a terminal, or one text frame.
///
/// The TUI loop runs on its own thread, why: it blocks in `wget_wch`, and blocking a thread of
/// Swift's small cooperative pool would starve the emulator and the API client running there.
struct DashboardLauncher {
    var environment: AppEnvironment
    var options: DashboardOptions
    var configuredTheme: String?
    var readOnly: Bool
    var worker: SyncWorker?
    var performer: EffectPerformer?

    /// Runs until the operator quits (or prints one frame); returns the process exit code.
    func run() async throws -> Int32 {
        let theme = try ThemeLoader().load(flag: options.theme, configured: configuredTheme, noColor: options.noColor)
        for warning in theme.warnings {
            Console.warn("batchtop: theme \(theme.name): \(warning)")
        }
        warnAboutFile(environment.store)
        let context = DashboardContext(
            organization: environment.accountLabel, baseURL: Secret.maskedURL(environment.baseURL),
            readOnly: readOnly, ascii: options.ascii, mouse: options.mouse)
        let reader = SnapshotReader(
            store: environment.store, prices: environment.prices, spendSettings: environment.spendSettings,
            clock: environment.clock, operations: environment.operations, pump: environment.pump,
            timeScale: environment.timeScale)
        let isTerminal = isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        if options.once || !isTerminal {
            // Rule: a non-terminal stdout never starts the TUI, why: scripts and pipes must not get escape codes.
            let backend = StoreBackend(reader: reader, worker: nil, afterCycle: nil, performer: nil)
            let env = ProcessInfo.processInfo.environment
            let text = try DashboardRuntime.renderOnce(
                backend: backend, clock: environment.clock, context: context, theme: theme,
                width: options.width ?? env["COLUMNS"].flatMap(Int.init) ?? 120,
                height: options.height ?? env["LINES"].flatMap(Int.init) ?? 40)
            // The frame's cells passed through Canvas (sanitized); this keeps its newlines only.
            say(SafeText(lines: text))
            return 0
        }
        let backend = StoreBackend(
            reader: reader, worker: worker, afterCycle: environment.afterCycle(readOnly: readOnly),
            performer: readOnly ? nil : performer)
        let clock = environment.clock
        let mouse = options.mouse
        let noColor = ThemeLoader().colorDisabled(flag: options.noColor)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, Error>) in
            let thread = Thread {
                let terminal = NCursesTerminal(options: .init(mouse: mouse, noColor: noColor))
                let runtime = DashboardRuntime(terminal: terminal, backend: backend, clock: clock, context: context, theme: theme)
                do {
                    try runtime.run()
                    continuation.resume(returning: 0)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "batchtop.ui"
            thread.start()
        }
    }
}
