import ArgumentParser
import BatchKit
import Foundation

/// The options every command that reads configuration shares (`--config`).
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read this config file instead of the default.", discussion:
            "Default: $BATCHTOP_CONFIG_DIR/config.toml, else $XDG_CONFIG_HOME/batchtop/config.toml, else ~/.config/batchtop/config.toml.",
        valueName: "path"))
    var config: String?

    /// Loads the configuration from the process environment, honouring `--config`.
    func load(databaseFlag: String? = nil) throws -> BatchtopConfig {
        try ConfigLoader().load(configFlag: config, databaseFlag: databaseFlag)
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
