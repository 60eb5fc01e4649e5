import Foundation
import Testing

/// Validates JSON instances against JSON Schemas with Python's `jsonschema` (Draft 2020-12, formats checked).
///
/// Why an outside validator: a Swift one written next to the emulator's generator could share its mistakes.
enum SchemaCheck {
    private static let script = """
    import json, sys
    import jsonschema
    job = json.load(sys.stdin)
    out = []
    for item in job:
        try:
            instance = json.loads(item["instance"])
        except Exception as error:
            out.append(["not JSON: %s" % error])
            continue
        validator = jsonschema.Draft202012Validator(item["schema"], format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        out.append(["%s at %s" % (e.message, list(e.absolute_path)) for e in validator.iter_errors(instance)])
    print(json.dumps(out))
    """

    /// The validation errors of each `(instance text, schema)` pair, in order; empty lists mean valid.
    static func errors(_ pairs: [(instance: String, schema: [String: Any])]) throws -> [[String]] {
        let job = pairs.map { ["instance": $0.instance, "schema": $0.schema] as [String: Any] }
        let input = try JSONSerialization.data(withJSONObject: job)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = stderr.fileHandleForReading.readDataToEndOfFile()
        guard exited.wait(timeout: .now() + 60) == .success else {
            process.terminate()
            throw SchemaCheckError(description: "python3 jsonschema did not finish within 60 s")
        }
        guard process.terminationStatus == 0,
              let result = (try? JSONSerialization.jsonObject(with: output)) as? [[String]], result.count == pairs.count else {
            throw SchemaCheckError(description: "python3 with jsonschema is needed for this test (pip install jsonschema): "
                                   + String(decoding: diagnostics, as: UTF8.self))
        }
        return result
    }
}

struct SchemaCheckError: Error, CustomStringConvertible {
    var description: String
}
