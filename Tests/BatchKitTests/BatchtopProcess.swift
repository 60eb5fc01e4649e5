import Foundation

/// The built `batchtop` executable run as a real process, for command tests.
struct BatchtopProcess {
    /// What a run printed and how it ended.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `batchtop` next to the test bundle's executable.
    static var executable: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("batchtop")
    }

    /// The state directory (audit key, log) of runs that do not name one: a temporary directory of
    /// this test process, so no test writes the real `~/.local/state`.
    static let defaultStateHome = FileManager.default.temporaryDirectory
        .appendingPathComponent("batchtop-test-state-\(ProcessInfo.processInfo.processIdentifier)").path

    /// A process with the test's environment changed by `environment` (nil values remove a variable).
    ///
    /// `XDG_STATE_HOME` defaults to `defaultStateHome` unless `environment` sets it.
    static func process(_ arguments: [String], environment: [String: String?]) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: executable.path])
        }
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = defaultStateHome
        for (key, value) in environment { env[key] = value }
        p.environment = env
        return p
    }

    /// Runs to completion, capturing both streams.
    static func run(_ arguments: [String], environment: [String: String?]) throws -> Run {
        let p = try process(arguments, environment: environment)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
