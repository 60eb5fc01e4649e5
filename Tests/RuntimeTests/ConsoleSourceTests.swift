import Foundation
import Testing

/// The guarantee "every byte reaches stdout and stderr through `Console`, which takes only `SafeText`"
/// holds only while nothing else writes there; this reads every Swift source and says where something does.
@Suite struct ConsoleSourceTests {
    /// Ways of writing to standard output or standard error other than `Console`.
    static let forbidden: [(what: String, pattern: String)] = [
        ("print(", #"(?<![\w.])print\s*\("#),
        ("debugPrint(", #"\bdebugPrint\s*\("#),
        ("dump(", #"(?<![\w.])dump\s*\("#),
        ("FileHandle.standardOutput / standardError", #"FileHandle\s*\.\s*standard(Output|Error)"#),
        ("FileHandle(fileDescriptor:) on 1 or 2", #"FileHandle\s*\(\s*fileDescriptor\s*:\s*(1|2|STDOUT_FILENO|STDERR_FILENO)\b"#),
        ("C stdio", #"\b(fputs|fputc|fwrite|fprintf|printf|puts|putchar|putc|fflush)\s*\("#),
        ("write(2) on 1 or 2", #"\b(write|writev)\s*\(\s*(1|2|STDOUT_FILENO|STDERR_FILENO)\b"#),
        ("the C stdout/stderr streams", #"(?<![\w"])(stdout|stderr)\s*[,)]"#),
    ]

    /// The package's `Sources` directory, found from this file.
    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    /// The one file allowed to write to the standard streams.
    static let writer = "batchtop/App/Console.swift"

    @Test func onlyConsoleWritesToTheStandardStreams() throws {
        let files = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 50, "found the sources at \(Self.sources.path)")
        #expect(files.contains { $0.path.hasSuffix(Self.writer) }, "the writer exists")
        var violations: [String] = []
        for file in files where !file.path.hasSuffix(Self.writer) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = Self.withoutComment(String(line))
                for (what, pattern) in Self.forbidden where code.range(of: pattern, options: .regularExpression) != nil {
                    violations.append("\(file.path.replacingOccurrences(of: Self.sources.path + "/", with: "")):\(number + 1): \(what): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(violations.isEmpty, "write through Console (SafeText) instead:\n\(violations.joined(separator: "\n"))")
    }

    @Test func theCheckFindsWhatItLooksFor() {
        let caught = ["print(text)", "    print(\"x\", to: &err)", "FileHandle.standardError.write(data)", "fputs(s, stderr)",
                      "_ = write(STDOUT_FILENO, p, n)", "FileHandle(fileDescriptor: 2)", "debugPrint(x)"]
        let allowed = ["Console.say(\"x\")", "printJSON(value)", "Self.show(report)", "// print(x) in a comment",
                       "isatty(STDOUT_FILENO)", "let sprint = 1", "x.print(y)"]
        for line in caught {
            #expect(Self.forbidden.contains { Self.withoutComment(line).range(of: $0.pattern, options: .regularExpression) != nil }, "\(line)")
        }
        for line in allowed {
            #expect(!Self.forbidden.contains { Self.withoutComment(line).range(of: $0.pattern, options: .regularExpression) != nil }, "\(line)")
        }
    }

    /// The line without a trailing `//` comment (a `//` inside a string literal such as a URL cuts the
    /// line short, which can only hide code after it, never invent a violation).
    static func withoutComment(_ line: String) -> String {
        guard let range = line.range(of: "//") else { return line }
        return String(line[..<range.lowerBound])
    }
}
