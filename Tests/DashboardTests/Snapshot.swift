import Foundation
import Testing
@testable import Dashboard

/// Compares a rendered screen with a stored text file; `BATCHTOP_RECORD_SNAPSHOTS=1` re-records.
///
/// The file holds the plain text, then a grid of style letters with a legend, so a theme change
/// shows up as a readable diff.
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    static var recording: Bool { ProcessInfo.processInfo.environment["BATCHTOP_RECORD_SNAPSHOTS"] == "1" }

    /// The snapshot text for a screen.
    static func describe(_ screen: Screen, styles: Bool) -> String {
        var out = screen.text + "\n"
        guard styles else { return out }
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var ids: [CellStyle: Character] = [:]
        var legend: [String] = []
        var grid: [String] = []
        for y in 0..<screen.height {
            var line = ""
            for x in 0..<screen.width {
                let st = screen[x, y].style
                if ids[st] == nil {
                    let ch = ids.count < letters.count ? letters[ids.count] : "?"
                    ids[st] = ch
                    legend.append("\(ch) \(st)")
                }
                line.append(ids[st]!)
            }
            grid.append(line)
        }
        out += "--- styles ---\n" + grid.joined(separator: "\n") + "\n--- legend ---\n" + legend.joined(separator: "\n") + "\n"
        return out
    }

    static func check(_ screen: Screen, named name: String, styles: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(name + ".txt")
        let actual = describe(screen, styles: styles)
        if recording {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing snapshot \(name).txt; run with BATCHTOP_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
            Issue.record(
                "snapshot \(name) differs at line \(first + 1):\n  expected: \(first < e.count ? String(e[first]) : "<end>")\n  actual:   \(first < a.count ? String(a[first]) : "<end>")\n(re-record with BATCHTOP_RECORD_SNAPSHOTS=1 if the change is intended)",
                sourceLocation: sourceLocation)
        }
    }
}
