import ArgumentParser
import BatchKit
import Foundation

/// `batchtop info`: resolved paths, each setting's source, base URL, which keys are set (masked),
/// and the database's size and schema version.
///
/// Rule: a missing database is reported, not created, why: info is a read-only look around.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show resolved paths, where each setting comes from, and which keys are set (never their values).")

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var database: DatabaseOption

    @Flag(name: .long, help: "Print JSON (versioned: {\"version\": 1, \"settings\": [...], \"warnings\": [...]}).")
    var json = false

    /// The JSON shape of `--json`; bump `version` on any incompatible change.
    struct Output: Codable {
        var version = 1
        var settings: [ConfigReport.Row]
        var warnings: [String]
    }

    func run() throws {
        // Warnings are part of the report below, so they are not printed to stderr as well.
        let config = try exitOnConfigError { try configOptions.load(databaseFlag: database.db, printWarnings: false) }
        var report = ConfigReport(config)
        let after = (report.rows.firstIndex { $0.name == "database" } ?? report.rows.count - 1) + 1
        report.rows.insert(contentsOf: Self.databaseRows(config.paths), at: after)
        if json {
            try printJSON(Output(settings: report.rows, warnings: report.warnings))
        } else {
            say(SafeText(lines: report.renderedText()))
            // Rule: a missing key is explained but info still succeeds, why: it is the command people run to find out.
            if config.api.apiKey == nil {
                say("\n\(lines: ConfigError.noAPIKey(configFile: config.paths.configFile.value.path).description)")
            }
        }
    }

    /// Size and schema version of the database, without creating it when it does not exist yet.
    static func databaseRows(_ paths: BatchtopPaths) -> [ConfigReport.Row] {
        do {
            let store = try BatchStore.openExisting(paths: paths)
            let version = try store.schemaVersion()
            let warning = store.fileWarning.map { [ConfigReport.Row(name: "database_warning", label: "database warning", value: $0)] } ?? []
            return warning + [
                ConfigReport.Row(name: "database_size", label: "database size", value: Self.bytes(store.sizeOnDisk())),
                ConfigReport.Row(
                    name: "schema_version", label: "schema version",
                    value: "\(version) (this build knows \(BatchStore.knownSchemaVersion))"),
            ]
        } catch StoreError.missing {
            return [ConfigReport.Row(
                name: "database_state", label: "database state", value: "not created yet (`batchtop sync` creates it)")]
        } catch {
            return [ConfigReport.Row(name: "database_state", label: "database state", value: "unusable: \(error)")]
        }
    }

    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format: "%.1f %@ (%lld bytes)", value, units[unit], n)
    }
}
