import Foundation

/// One render box of `bench cluster`: this program's own `worker` subcommand as a separate
/// process, its output kept in a file (shown when it dies unasked).
final class ClusterBox: Sendable {
    let name: String
    private let process: Process
    private let log: URL

    /// Starts `executable worker --name NAME --concurrency N` with `environment` added to this
    /// process's own.
    init(executable: URL, name: String, concurrency: Int, environment: [String: String], logDirectory: URL) throws {
        self.name = name
        log = logDirectory.appendingPathComponent("\(name).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw BenchError("cannot create \(log.path)") }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["worker", "--name", name, "--concurrency", String(concurrency)]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        self.process = process
    }

    var isRunning: Bool { process.isRunning }

    /// kill -9: the box dies as a machine losing power would.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and waits for the graceful stop; kill -9 after `seconds`.
    func stop(within seconds: Double = 30) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill9() }
    }

    /// The end of the box's output, for an error message.
    var lastOutput: String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return String(text.suffix(1500))
    }
}
