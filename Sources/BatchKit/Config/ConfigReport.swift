import Foundation

/// The resolved configuration as labelled rows with their sources, for `batchtop info`.
///
/// Keys appear only as "set (sk-...abcd)" or "not set". Other facts (database size, schema version)
/// are appended as further rows by whoever knows them.
public struct ConfigReport: Sendable {
    /// One line of the report.
    public struct Row: Sendable, Hashable, Codable {
        /// Stable machine name (`database`, `api_key`), used as the JSON key.
        public var name: String
        /// Human label.
        public var label: String
        /// The value as shown.
        public var value: String
        /// Where the value came from, when that is meaningful.
        public var source: String?

        public init(name: String, label: String, value: String, source: String? = nil) {
            self.name = name; self.label = label; self.value = value; self.source = source
        }
    }

    /// The rows, in display order.
    public var rows: [Row]
    /// The configuration warnings, as text.
    public var warnings: [String]

    public init(_ config: BatchtopConfig) {
        let p = config.paths
        func row<V>(_ name: String, _ label: String, _ s: Sourced<V>, _ show: (V) -> String) -> Row {
            Row(name: name, label: label, value: show(s.value), source: s.source.description)
        }
        func optional(_ name: String, _ label: String, _ s: Sourced<String>?) -> Row {
            s.map { row(name, label, $0) { $0 } } ?? Row(name: name, label: label, value: "not set")
        }
        func key(_ name: String, _ label: String, _ s: Sourced<Secret>?) -> Row {
            s.map { row(name, label, $0) { "set (\($0.masked))" } } ?? Row(name: name, label: label, value: "not set")
        }
        var rows = [
            Row(name: "version", label: "version", value: BatchtopVersion.current),
            row("config_file", "config file", p.configFile) {
                $0.path + (config.configFileExists ? "" : " (not found: defaults and environment apply)")
            },
            row("config_dir", "config dir", p.configDirectory) { $0.path },
            row("data_dir", "data dir", p.dataDirectory) { $0.path },
            row("database", "database", p.database) { $0.path },
            row("state_dir", "state dir", p.stateDirectory) { $0.path },
            row("audit_key", "audit key", p.auditKey) {
                $0.path + (AuditKeyFile(url: $0).exists ? "" : " (not created yet: made on the first audit row)")
            },
            row("base_url", "base URL", config.api.baseURL) { Secret.maskedURL($0) },
            key("api_key", "API key", config.api.apiKey),
            key("admin_key", "admin key", config.api.adminKey),
            optional("organization", "organization", config.api.organization),
            optional("project", "project", config.api.project),
            row("timeout_seconds", "timeout", config.api.timeoutSeconds) { "\(Self.number($0)) s" },
            row("max_retries", "max retries", config.api.maxRetries) { String($0) },
            optional("identity", "identity", config.identity.name),
            row("theme", "theme", config.ui.theme) { $0 },
            row("readonly", "readonly", config.ui.readonly) { String($0) },
        ]
        let reserved = config.reservedSections.keys.sorted()
        if !reserved.isEmpty {
            rows.append(Row(
                name: "reserved_sections", label: "other sections",
                value: reserved.map { "[\($0)]" }.joined(separator: ", ") + " (read, not used by this version)",
                source: p.configFile.value.path))
        }
        self.rows = rows
        self.warnings = config.warnings.map(\.description)
    }

    /// Aligned text: `label  value  (source)` per row, then warnings.
    public func renderedText() -> String {
        let width = rows.map(\.label.count).max() ?? 0
        var lines = rows.map { row in
            let pad = String(repeating: " ", count: width - row.label.count)
            return "\(row.label)\(pad)  \(row.value)" + (row.source.map { "  (\($0))" } ?? "")
        }
        lines.append(contentsOf: warnings)
        return lines.joined(separator: "\n")
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }
}
