import BatchKit
import Foundation

/// The executable's one writer to standard output and standard error.
///
/// Rule: no other file in Sources/batchtop writes to stdout or stderr (`ConsoleSourceTests` greps the
/// sources for `print(`, `FileHandle.standardOutput`, ...), and this writer accepts only `SafeText`,
/// why: `SafeText` exists only sanitized, so no command can print provider data raw, however it
/// builds its text. Writes are unbuffered, so `batchtop sync | tee log` shows each line as it happens.
enum Console {
    /// Writes `text` and a newline to standard output.
    static func say(_ text: SafeText) { write(text.text + "\n", to: .standardOutput) }

    /// Writes `text` as is (a table or document that ends in its own newline) to standard output.
    static func write(_ text: SafeText) { write(text.text, to: .standardOutput) }

    /// Writes `text` and a newline to standard error.
    static func warn(_ text: SafeText) { write(text.text + "\n", to: .standardError) }

    private static func write(_ text: String, to handle: FileHandle) {
        guard !text.isEmpty else { return }
        // One copy of the UTF-8 bytes (`Data(text.utf8)` walks them one by one: slow for `jobs --json`).
        var text = text
        text.withUTF8 { handle.write(Data($0)) }
    }
}

/// Writes one line to standard output (`Console.say`).
func say(_ text: SafeText) { Console.say(text) }

/// Writes a `--json` document (pretty, sorted keys, escaped for a terminal) to standard output.
func printJSON<T: Encodable>(_ value: T, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws {
    Console.write(try TerminalSafeJSON.encode(value, keys: keys))
}
