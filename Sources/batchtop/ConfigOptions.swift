import ArgumentParser
import BatchKit

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
