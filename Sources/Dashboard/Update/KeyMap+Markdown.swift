/// The key map as a Markdown table, for docs/KEYS.md (kept in sync by a test).
extension KeyMap {
    /// The bindings as the Markdown of docs/KEYS.md.
    public var markdown: String {
        var out = "# Keys\n\nGenerated from `KeyMap.standard` (Sources/Dashboard/Update/KeyMap.swift); a test fails when this file drifts.\n"
        out += "Re-generate with `BATCHTOP_RECORD_SNAPSHOTS=1 swift test --filter KeysDocTests`.\n\n"
        out += "| keys | does | where | writes |\n|---|---|---|---|\n"
        for b in bindings {
            let keys = b.keys.map { "`\($0.description)`" }.joined(separator: " ")
            let contexts = b.contexts.isEmpty ? "everywhere" : KeyContext.allCases.filter(b.contexts.contains).map(\.rawValue).joined(separator: ", ")
            out += "| \(keys) | \(b.summary) | \(contexts) | \(b.isWrite ? "yes (confirmed; off with --readonly)" : "") |\n"
        }
        out += "\n## In dialogs\n\n| keys | does |\n|---|---|\n"
        for (k, v) in KeyMap.dialogHelp { out += "| \(k) | \(v) |\n" }
        out += "\n`Ctrl-C` quits from anywhere and restores the terminal. In the `/` filter: `!` first inverts, "
        out += "`key=value` matches one field (`lane`, `status`, `workload`, `model`, `endpoint`, `id`), Enter keeps the filter, Esc clears it.\n"
        out += "Commands after `:`: `jobs [filter]`, `queue`, `spend`, `decisions`, `filter TEXT`, `sort COLUMN [reverse]`, `refresh`, `pause`, `resume`, `help`, `q`.\n"
        return out
    }
}
