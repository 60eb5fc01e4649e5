import Foundation
import Testing

/// Keeps docs/ARCHITECTURE.md's module table and rules of the house true of the code.
///
/// Rule: the document is the single statement of which module may import what, why: a rule kept only in
/// prose drifts (it had ten stale places); here a new import that breaks the table fails the build's tests
/// with the file and line, and a new module without a row in the table fails too.
@Suite("Architecture: import rules")
struct ImportRulesTests {
    /// What every module may import besides its row: the toolchain and the platform.
    static let platform: Set<String> = ["Swift", "Foundation", "FoundationNetworking", "FoundationEssentials",
                                        "Dispatch", "Synchronization", "Glibc", "Musl", "Darwin"]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// One `import` line of a source file.
    struct Import: CustomStringConvertible {
        var module: String
        var file: String
        var line: Int
        var description: String { "\(file):\(line) imports \(module)" }
    }

    /// The table under "## Modules": module -> modules it may import (project modules and packages).
    static func table() throws -> [String: Set<String>] {
        let doc = try String(contentsOf: root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        guard let start = doc.range(of: "## Modules\n") else { throw Failure("docs/ARCHITECTURE.md has no '## Modules' section") }
        let section = String(doc[start.upperBound...]).components(separatedBy: "\n## ").first ?? ""
        var rows: [(String, String)] = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            rows.append((cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[3]))
        }
        var allowed: [String: Set<String>] = [:]
        for (module, cell) in rows {
            var names = Set<String>()
            for item in cell.components(separatedBy: ",") {
                // "BatchKit (types only)" -> BatchKit; "all of the above" -> every module listed before it.
                let name = item.replacingOccurrences(of: "`", with: "").components(separatedBy: "(")[0]
                    .trimmingCharacters(in: .whitespaces)
                if name == "all of the above" {
                    names.formUnion(rows.prefix { $0.0 != module }.map(\.0))
                    names.formUnion(allowed.values.joined())
                } else if !name.isEmpty, name != "nothing" {
                    names.insert(name)
                }
            }
            allowed[module] = names
        }
        return allowed
    }

    /// Every import in `Sources/<module>`, with file and line.
    static func imports(of module: String) throws -> [Import] {
        let dir = root.appendingPathComponent("Sources/\(module)")
        var found: [Import] = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var words = raw.trimmingCharacters(in: .whitespaces).split(separator: " ").map(String.init)
                while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
                guard words.first == "import", words.count >= 2 else { continue }
                // `import struct Foo.Bar` names the module after the kind.
                let target = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"].contains(words[1]) && words.count >= 3
                    ? words[2] : words[1]
                let name = String(target.split(separator: ".")[0])
                found.append(Import(module: name, file: file.path.replacingOccurrences(of: root.path + "/", with: ""), line: n + 1))
            }
        }
        return found
    }

    static func sourceModules() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test("every module under Sources has a row in docs/ARCHITECTURE.md")
    func everyModuleIsDocumented() throws {
        let table = try Self.table()
        let missing = try Self.sourceModules().filter { table[$0] == nil && $0 != "CNcursesw" }
        #expect(missing.isEmpty, "add a row to the Modules table of docs/ARCHITECTURE.md for: \(missing)")
    }

    @Test("every import is allowed by the module table")
    func importsFollowTheTable() throws {
        let table = try Self.table()
        #expect(table["BatchKit"] != nil && table["Dashboard"] != nil, "the Modules table did not parse: \(table)")
        var violations: [String] = []
        for module in try Self.sourceModules() {
            guard let allowed = table[module] else { continue }
            for i in try Self.imports(of: module) where !Self.platform.contains(i.module) && !allowed.contains(i.module) && i.module != module {
                violations.append("\(i) (docs/ARCHITECTURE.md allows: \(allowed.sorted().joined(separator: ", ")))")
            }
        }
        #expect(violations.isEmpty, "imports that break docs/ARCHITECTURE.md:\n\(violations.joined(separator: "\n"))")
    }

    @Test("the parser sees a known import, so the rule above can fail")
    func parserSeesImports() throws {
        let dashboard = try Self.imports(of: "Dashboard").map(\.module)
        #expect(dashboard.contains("BatchKit"))
        let terminal = try Self.imports(of: "Terminal").map(\.module)
        #expect(terminal.contains("CNcursesw"))
    }

    @Test("only Terminal imports ncurses; BatchKit imports no front end")
    func layering() throws {
        for module in try Self.sourceModules() where module != "Terminal" {
            let bad = try Self.imports(of: module).filter { $0.module == "CNcursesw" }
            #expect(bad.isEmpty, "only Terminal may call ncurses: \(bad)")
        }
        let core = try Self.imports(of: "BatchKit").filter { ["Dashboard", "Terminal", "batchtop", "BatchEmulator"].contains($0.module) }
        #expect(core.isEmpty, "the core must not import a front end or the emulator: \(core)")
    }

    @Test("Dashboard does no I/O and reads no clock")
    func dashboardIsPure() throws {
        let forbidden = ["Date()", "Date.now", "FileManager", "FileHandle", "ProcessInfo", "DispatchQueue", "URLSession",
                         "fopen(", "time(nil)", "clock_gettime", "Thread.sleep"]
        let hits = try Self.matches(of: forbidden, under: "Sources/Dashboard")
        #expect(hits.isEmpty, "Dashboard must stay pure (time and data arrive as actions):\n\(hits.joined(separator: "\n"))")
    }

    @Test("only BatchKit/Store runs SQL")
    func sqlStaysInTheStore() throws {
        var hits: [String] = []
        for module in try Self.sourceModules() {
            hits += try Self.matches(of: ["sql:", "sqlite3_", "\"SELECT ", "\"INSERT ", "\"UPDATE ", "\"DELETE "],
                                     under: "Sources/\(module)")
                .filter { !$0.hasPrefix("Sources/BatchKit/Store/") }
        }
        #expect(hits.isEmpty, "SQL outside Sources/BatchKit/Store:\n\(hits.joined(separator: "\n"))")
    }

    static func matches(of needles: [String], under folder: String) throws -> [String] {
        let dir = root.appendingPathComponent(folder)
        var hits: [String] = []
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for needle in needles where code.contains(needle) {
                    hits.append("\(file.path.replacingOccurrences(of: root.path + "/", with: "")):\(n + 1): \(needle)")
                }
            }
        }
        return hits
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
