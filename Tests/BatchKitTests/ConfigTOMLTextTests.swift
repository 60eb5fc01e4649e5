import Foundation
import Testing
import TestSupport
@testable import BatchKit

/// `TOMLText`: text toml++ aborts the process on is refused with a located error before it gets there, and no
/// valid document is refused (found by the config and theme fuzz targets; their crashing inputs are kept as
/// Fuzz/corpus/{config,theme}/regression-*).
@Suite struct ConfigTOMLTextTests {
    struct Bad: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var column: Int
        var message = "table header must start with a name"
        var testDescription: String { text.debugDescription }
    }

    static let bad: [Bad] = [
        // toml++ asserts in parse_key on these headers.
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
        Bad(text: #"s = """\#n[=]\#n\\#n"""\#n[#]\#n"#, line: 5, column: 2),
        Bad(text: "a = [\n  1,\n]\n[api]\nx = 1\n[{]\n", line: 6, column: 2),
        // toml++ asserts in parse_value and parse_time on these.
        Bad(text: "bg = [}\n", line: 1, column: 7, message: "expected a value"),
        Bad(text: ##"dialog = { fg = "#000000", bg =[[[[[[[}"##, line: 1, column: 39, message: "expected a value"),
        Bad(text: "d = 1979-05-27Tx\n", line: 1, column: 16, message: "digits for the hour"),
        Bad(text: "base_url = 0988-05-27Trules:00\n", line: 1, column: 23, message: "digits for the hour"),
        // Other syntax errors, reported here with the same kind of message.
        Bad(text: #"x = "\e""#, line: 1, column: 6, message: "invalid escape"),
        Bad(text: "x = 0_1\n", line: 1, column: 5, message: "may not start with 0"),
        Bad(text: "x = { a = 1, }\n", line: 1, column: 14, message: "expected a key in an inline table"),
        Bad(text: "x = 1 2\n", line: 1, column: 7, message: "expected the end of the line"),
        Bad(text: "x = \"a\nb\"\n", line: 1, column: 7, message: "must end on its line"),
    ]

    @Test(arguments: bad)
    func refusesTextTOMLKitCannotBeGiven(_ c: Bad) throws {
        let found = TOMLSyntaxCheck.firstError(in: c.text)
        #expect(found?.line == c.line && found?.column == c.column, "found \(String(describing: found))")
        #expect(found?.message.contains(c.message) == true, "found \(String(describing: found))")
        // Only with the check in place is it safe to hand the text over (toml++ would abort the test process).
        guard found != nil else { return }
        #expect(throws: TOMLSyntaxError.self) { try TOMLText.parse(c.text) }
    }

    static let valid: [String] = [
        "a = [\n  [ { b = 1 } ],\n  [ # c\n    1 ],\n  [+1, -2],\n  [ 'x', \"y\" ],\n]\n",
        #"s = """\#n[=]\#n\\#n[#]\#n"""\#nl = '''\#n[=x]\#n'''\#n"#,
        "q = \"[=\" # [=\nt = { k = \"[=\" }\n",
        "\"quoted\" = 1\n[ \"a b\" ]\n[ 'c' ]\n[[arr]]\n[ d . e ]\n[f.\"g h\".'i']\n",
        "\u{FEFF}[api]\r\nbase_url = \"http://127.0.0.1:8787/v1\"\r\n",
        "",
        "# only a comment",
        // The examples of toml.io/en/v1.0.0, every value kind.
        #"""
        int1 = +99
        int2 = 42
        int3 = 0
        int4 = -17
        int5 = 1_000
        hex1 = 0xDEADBEEF
        hex3 = 0xdead_beef
        oct1 = 0o01234567
        bin1 = 0b11010110
        flt1 = +1.0
        flt2 = 3.1415
        flt3 = -0.01
        flt4 = 5e+22
        flt5 = 1e06
        flt6 = -2E-2
        flt7 = 6.626e-34
        flt8 = 224_617.445_991_228
        sf1 = inf
        sf2 = +inf
        sf3 = -inf
        sf4 = nan
        sf5 = +nan
        sf6 = -nan
        bool1 = true
        bool2 = false
        """#,
        #"""
        odt1 = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27T00:32:00-07:00
        odt3 = 1979-05-27T00:32:00.999999-07:00
        odt4 = 1979-05-27 07:32:00Z
        ldt1 = 1979-05-27T07:32:00
        ldt2 = 1979-05-27T00:32:00.999999
        ld1 = 1979-05-27
        lt1 = 07:32:00
        lt2 = 00:32:00.999999
        lower = 1979-05-27t07:32:00z
        d = 1979-05-27 # a date, then a comment
        """#,
        #"""
        str = "I'm a string. \"You can quote me\". Name\tJos\u00E9\nLocation\tSF. \U0001F600"
        str1 = """
        Roses are red
        Violets are blue"""
        str2 = """\
               The quick brown \
        
        
               fox jumps over \
                 the lazy dog.\
               """
        str4 = """Here are two quotation marks: "". Simple enough."""
        str5 = """Here are three quotation marks: ""\"."""
        str6 = """Here are fifteen quotation marks: ""\"""\"""\"""\"""\"."""
        str7 = """"This," she said, "is just a pointless statement.""""
        winpath  = 'C:\Users\nodejs\templates'
        quoted   = 'Tom "Dubs" Preston-Werner'
        regex    = '<\i\c*\s*>'
        regex2 = '''I [dw]on't need \d{2} apples'''
        lines  = '''
        The first newline is
        trimmed in raw strings.
        '''
        quot15 = '''Here are fifteen quotation marks: """""""""""""""'''
        apos15 = "Here are fifteen apostrophes: '''''''''''''''"
        str8 = ''''That,' she said, 'is still pointless.''''
        """#,
        #"""
        name = { first = "Tom", last = "Preston-Werner" }
        point = { x = 1, y = 2 }
        animal = { type.name = "pug" }
        integers2 = [
          1, 2, 3
        ]
        integers3 = [
          1,
          2, # this is ok
        ]
        nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
        contributors = [
          "Foo Bar <foo@example.com>",
          { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }
        ]
        site."google.com" = true
        3.14159 = "pi"
        "" = "blank"
        [[fruits]]
        name = "apple"
        [fruits.physical]  # subtable
        color = "red"
        [[fruits.varieties]]
        name = "red delicious"
        [ j . "ʞ" . 'l' ]
        [dog."tater.man"]
        type.name = "pug"
        """#,
    ]

    @Test(arguments: valid)
    func acceptsValidDocuments(_ text: String) throws {
        #expect(TOMLSyntaxCheck.firstError(in: text) == nil)
        _ = try TOMLText.parse(text)
    }

    /// Every TOML text shipped with batchtop passes the check unchanged.
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
            #expect(TOMLSyntaxCheck.firstError(in: text) == nil)
            _ = try TOMLText.parse(text)
        }
    }

    /// The real process: before the check, `[[[x` in config.toml aborted batchtop (SIGABRT, exit 134) in toml++.
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
