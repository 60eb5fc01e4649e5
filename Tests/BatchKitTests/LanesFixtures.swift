import Foundation
@testable import BatchKit

/// Input files for the lanes tests, written to a fresh temporary directory per fixture.
struct LanesFixture {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanes-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to a new file and returns its path.
    func file(_ bytes: [UInt8], name: String = "input.jsonl") -> String {
        let url = directory.appendingPathComponent(name)
        try! Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `lines` joined with `\n` (plus a final `\n` unless told otherwise).
    func file(lines: [String], finalNewline: Bool = true, name: String = "input.jsonl") -> String {
        file(Array((lines.joined(separator: "\n") + (finalNewline ? "\n" : "")).utf8), name: name)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// One well-formed request line.
func requestLine(_ id: String, model: String = "gpt-4o", url: String = "/v1/chat/completions",
                 method: String = "POST", content: String = "hi") -> String {
    #"{"custom_id":"\#(id)","method":"\#(method)","url":"\#(url)","body":{"model":"\#(model)","messages":[{"role":"user","content":"\#(content)"}]}}"#
}

extension InputFileSummary {
    /// (kind, line) of every reported problem, for compact expectations.
    var located: [Located] { problems.map { Located($0.kind, $0.line) } }
}

/// A problem kind at a line.
struct Located: Hashable, CustomStringConvertible {
    var kind: InputProblem.Kind
    var line: Int
    init(_ kind: InputProblem.Kind, _ line: Int) { self.kind = kind; self.line = line }
    var description: String { "\(kind.rawValue)@\(line)" }
}
