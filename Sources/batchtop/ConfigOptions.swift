import ArgumentParser
import BatchKit
import Foundation
import Synchronization

/// The options every command that reads configuration shares (`--config`).
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read this config file instead of the default.", discussion:
            "Default: $BATCHTOP_CONFIG_DIR/config.toml, else $XDG_CONFIG_HOME/batchtop/config.toml, else ~/.config/batchtop/config.toml.",
        valueName: "path"))
    var config: String?

    /// Loads the configuration from the process environment, honouring `--config`, and prints its
    /// warnings to stderr (once per process; `info` lists them in its report instead).
    func load(databaseFlag: String? = nil, printWarnings: Bool = true) throws -> BatchtopConfig {
        try loadConfiguration(configFlag: config, databaseFlag: databaseFlag, printWarnings: printWarnings)
    }
}

/// Loads the configuration; the one place a command does so.
///
/// Rule: every command that loads the configuration prints its warnings (unknown settings, a key file
/// others can read, plain http) to stderr, each once per process, why: the warning matters most in the
/// commands run every day (`sync`, the dashboard), not only in `info`; the dashboard prints them before
/// the TUI takes the screen, so they never garble it and are there after quitting.
func loadConfiguration(configFlag: String?, databaseFlag: String?, printWarnings: Bool = true) throws -> BatchtopConfig {
    let config = try ConfigLoader().load(configFlag: configFlag, databaseFlag: databaseFlag)
    if printWarnings { ConfigWarningPrinter.printOnce(config.warnings) }
    return config
}

/// Prints configuration warnings to stderr, each at most once per process.
enum ConfigWarningPrinter {
    private static let printed = Mutex<Set<ConfigWarning>>([])

    static func printOnce(_ warnings: [ConfigWarning]) {
        let fresh = printed.withLock { seen in warnings.filter { seen.insert($0).inserted } }
        for warning in fresh { Console.warn("batchtop: \(warning)") }
    }
}

/// Runs `body`; a `ConfigError` becomes its message on stderr and exit code 78 (EX_CONFIG).
///
/// Rule: a broken or missing configuration is not a usage error, why: the usage text would bury
/// the one line that says which file, which line, and what to change.
func exitOnConfigError<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigError {
        Console.warn("batchtop: \(lines: error.description)")
        throw ExitCode(78)
    }
}
