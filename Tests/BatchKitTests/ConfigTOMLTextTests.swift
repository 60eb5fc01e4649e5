import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `TOMLText`: the table headers toml++ aborts the process on are refused with a located error, and no valid
/// document is refused (found by the config fuzz target; its crashing inputs are in Fuzz/corpus/config).
@Suite struct ConfigTOMLTextTests {
    struct Bad: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var column: Int
        var testDescription: String { text.debugDescription }
    }

    static let bad: [Bad] = [
        Bad(text: "[=x]\n", line: 1, column: 2),
        Bad(text: "[#]\n", line: 1, column: 2),
        Bad(text: "[.a]\n", line: 1, column: 2),
        Bad(text: "[[[x]]]\n", line: 1, column: 3),
        Bad(text: "[\n", line: 1, column: 2),
        Bad(text: "[\r\nx = 1\n", line: 1, column: 2),
        Bad(text: "[ !]\n", line: 1, column: 3),
        Bad(text: "[[ =]]\n", line: 1, column: 4),
        Bad(text: "[é]\n", line: 1, column: 2),
        Bad(text: "\u{FEFF}[=]\n", line: 1, column: 2),
        Bad(text: "a = 1 # [=]\n\n  [=]\n", line: 3, column: 4),
        Bad(text: "s = \"\"\"\n[=]\n\\\n\"\"\"\n[#]\n", line: 5, column: 2),
        Bad(text: "a = [\n  1,\n]\n[api]\nx = 1\n[{]\n", line: 6, column: 2),
    ]

    @Test(arguments: bad)
    func refusesAHeaderThatDoesNotStartWithAName(_ c: Bad) throws {
        let found = TOMLText.unsupportedHeader(in: c.text)
        #expect(found?.line == c.line && found?.column == c.column, "found \(String(describing: found))")
        // Only with the guard in place is it safe to hand the text over (toml++ would abort the test process).
        guard found != nil else { return }
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.parse(c.text) }
        do {
            _ = try TOMLText.parse(c.text)
        } catch {
            #expect(error.line == c.line && error.column == c.column && error.message.contains("table header must start with a name"))
        }
    }

    static let valid: [String] = [
        "a = [\n  [ { b = 1 } ],\n  [ # c\n    1 ],\n  [+1, -2],\n  [ 'x', \"y\" ],\n]\n",
        "s = \"\"\"\n[=]\n\\\n[#]\n\"\"\"\nl = '''\n[=x]\n'''\n",
        "q = \"[=\" # [=\nt = { k = \"[=\" }\n",
        "\"quoted\" = 1\n[ \"a b\" ]\n[ 'c' ]\n[[arr]]\n[ d . e ]\n[f.\"g h\".'i']\n",
        "e = \"\"\"a\"\"\"\"\n[ok]\n",
        "m = '''it's'''\n[ok]\n",
        "\u{FEFF}[api]\r\nbase_url = \"http://127.0.0.1:8787/v1\"\r\n",
        "",
        "# only a comment",
    ]

    @Test(arguments: valid)
    func acceptsValidDocuments(_ text: String) throws {
        #expect(TOMLText.unsupportedHeader(in: text) == nil)
        _ = try TOMLText.parse(text)
    }

    /// Every TOML text shipped with batchtop passes the guard unchanged.
    @Test func shippedFilesPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var texts = [PriceTable.shippedDefaultTOML]
        for dir in ["themes", "data"] {
            let url = root.appendingPathComponent(dir)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".toml") {
                texts.append(try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8))
            }
        }
        #expect(texts.count >= 6)
        for text in texts {
            #expect(TOMLText.unsupportedHeader(in: text) == nil)
            _ = try TOMLText.parse(text)
        }
    }

    /// The real process: before the guard, `[[[x` in config.toml aborted batchtop (SIGABRT, exit 134) in toml++.
    @Test func configWithABadHeaderIsAClearErrorNotACrash() throws {
        let dir = try BatchFixtures.temporaryDirectory("toml-header")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("config.toml")
        try Data("[api]\ntimeout_seconds = 30\n[[[x\n".utf8).write(to: config)
        let environment: [String: String?] = ["XDG_DATA_HOME": dir.appendingPathComponent("data").path, "OPENAI_API_KEY": nil]
        let run = try BatchtopProcess.run(["info", "--config", config.path], environment: environment)
        #expect(run.status == 78, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("\(config.path):3:3") && run.stderr.contains("table header must start with a name"), "\(run.stderr)")
    }
}
