import Foundation

/// Runs the built `batchtop` executable (next to the test bundle) as a real process, for command tests.
enum BatchtopProcess {
    /// What the process did.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `batchtop arguments` with the test's environment changed by `environment` (nil values remove).
    static func run(_ arguments: [String], environment changes: [String: String?]) throws -> Run {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("batchtop")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: exe.path])
        }
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in changes { env[key] = value }
        p.environment = env
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
