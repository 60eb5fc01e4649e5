import TOMLKit

/// The one way into TOMLKit: config.toml, price files and themes are parsed here.
///
/// Rule: text is checked against the TOML 1.0 grammar first (`TOMLSyntaxCheck`) and only grammatical text is
/// handed to TOMLKit, why: its toml++ 3.4 asserts on several malformed inputs (`[=x]`, `[[[x`, a `[` alone on a
/// line, `x = [}`, `d = 1979-05-27Tx`) and, built without `NDEBUG` as SwiftPM builds C++ dependencies, aborts
/// the whole process on such a typo instead of reporting it (found by the config and theme fuzz targets,
/// Fuzz/README.md).
public enum TOMLText {
    /// Parses `text` into a table, or throws a syntax error with the 1-based line and column.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        if let error = TOMLSyntaxCheck.firstError(in: text) { throw error }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLSyntaxError(line: error.source.begin.line, column: error.source.begin.column, message: error.description)
        } catch {
            throw TOMLSyntaxError(line: 1, column: 1, message: "\(error)")
        }
    }
}

/// A TOML syntax error at a 1-based line and column.
public struct TOMLSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line; self.column = column; self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
