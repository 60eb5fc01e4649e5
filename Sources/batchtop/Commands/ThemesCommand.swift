import ArgumentParser
import BatchKit
import Dashboard

/// `batchtop themes`: lists the colour themes and where each was found.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List colour themes (built-in and in the config directory) and where each was found."
    )

    func run() throws {
        let loader = ThemeLoader()
        for found in loader.available() {
            var line = found.name.padding(toLength: 12, withPad: " ", startingAt: 0) + found.location
            if found.location == "built-in", let t = BuiltinThemes.named(found.name), !t.summary.isEmpty {
                line += "  (\(t.summary))"
            } else if found.location != "built-in" {
                do {
                    let t = try loader.load(flag: found.location, configured: nil, noColor: false)
                    for w in t.warnings { line += "\n    warning: \(w)" }
                } catch {
                    line += "\n    error: \(error)"
                }
            }
            say(SafeText(lines: line))
        }
        say("\nChoose with --theme NAME|PATH, BATCHTOP_THEME, or the config; NO_COLOR or --no-color forces mono.")
        say("User themes go in: \(loader.directories.map(\.path).joined(separator: ", "))")
    }
}

import Foundation
