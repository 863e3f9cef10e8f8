import Foundation
import Synchronization
@testable import AutoDirectorCore

#if canImport(Glibc)
    import Glibc
#endif

/// An S3-compatible server of the test process's own: moto's (`moto_server`, the Python package
/// `moto[server]`) on 127.0.0.1 and a free port, stopped by its pid when the process exits.
/// It accepts any keys and checks no signature, so the signer is checked against AWS's examples
/// (SigV4SignerTests) and this against the client's behaviour.
///
/// A test process that dies leaves its server behind; the next `start` stops any server whose
/// owning process is gone (each leaves a marker file `autodirector-moto-OWNER-PID` in the
/// temporary directory).
final class ThrowawayS3: Sendable {
    let port: Int
    let pid: pid_t
    private let log: URL
    private let marker: URL

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// `moto_server` on PATH (or `$AUTODIRECTOR_MOTO_SERVER`); nil when there is none.
    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let path = environment["AUTODIRECTOR_MOTO_SERVER"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(directory)/moto_server"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static var isAvailable: Bool { executable() != nil }

    /// The line a run without moto prints instead of its S3 tests.
    static let unavailableNote =
        "moto's S3 server (moto_server, Python package moto[server]) is not installed: the S3 artifact tests did not run. "
        + "scripts/install-prerequisites installs it; CI requires it."

    /// One server for the whole test process, started on first use (a second or two); each test
    /// takes a bucket of its own.
    static func shared() throws -> ThrowawayS3 {
        try Shared.state.withLock { state in
            if let server = state.server { return server }
            if let failure = state.failure { throw ThrowawayS3Error(failure) }
            do {
                let server = try start()
                state.server = server
                atexit { Shared.state.withLock { $0.server }?.stop() }
                return server
            } catch {
                state.failure = "\(error)"
                throw error
            }
        }
    }

    private enum Shared {
        struct State {
            var server: ThrowawayS3?
            var failure: String?
        }
        static let state = Mutex(State())
    }

    /// Starts a server and waits until it answers HTTP (at most 60 s: moto imports a lot).
    static func start() throws -> ThrowawayS3 {
        guard let executable = executable() else { throw ThrowawayS3Error(unavailableNote) }
        stopAbandonedServers()
        var lastError: (any Error)?
        // A free port can be taken between choosing it and the server binding it: try another.
        for _ in 0..<5 {
            let port = try freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-moto-log-\(getpid())-\(port)")
            let pid = try spawn([executable, "-H", "127.0.0.1", "-p", String(port)], output: log)
            let marker = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-moto-\(getpid())-\(pid)")
            _ = FileManager.default.createFile(atPath: marker.path, contents: nil)
            let server = ThrowawayS3(port: port, pid: pid, log: log, marker: marker)
            do {
                try server.awaitReady(deadline: Date().addingTimeInterval(60))
                return server
            } catch {
                server.stop()
                lastError = error
            }
        }
        throw lastError ?? ThrowawayS3Error("the server did not start")
    }

    private init(port: Int, pid: pid_t, log: URL, marker: URL) {
        self.port = port
        self.pid = pid
        self.log = log
        self.marker = marker
    }

    /// Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it.
    func stop() {
        Self.terminate(pid)
        try? FileManager.default.removeItem(at: marker)
        try? FileManager.default.removeItem(at: log)
    }

    /// A bucket of its own for a test, named uniquely.
    func freshBucket() async throws -> String {
        let name = "test-\(UUID().uuidString.lowercased().prefix(18))"
        try await S3ObjectClient(configuration: configuration(bucket: name)).createBucket()
        return name
    }

    /// The configuration `AUTODIRECTOR_ARTIFACTS=s3://BUCKET/PREFIX` with this endpoint gives.
    func configuration(bucket: String, prefix: String = "") -> S3Configuration {
        S3Configuration(
            bucket: bucket, prefix: prefix, region: "us-east-1", endpoint: URL(string: endpoint)!,
            credentials: S3Credentials(accessKeyID: "AKIAMOTOEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token))
    }

    /// What tests check never shows in any message.
    static let secret = "moto-secret-KEY/never+printed0123456789"
    static let token = "moto-session-TOKEN-never-printed-0123456789"

    // MARK: Processes

    /// Polls a TCP connection to the port (every 20 ms) until it is accepted, the server exits
    /// or the deadline passes.
    private func awaitReady(deadline: Date) throws {
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw ThrowawayS3Error("moto_server exited at start: \(output.suffix(1500))")
            }
            if Self.accepts(port: port) { return }
            usleep(20_000)
        }
        throw ThrowawayS3Error("moto_server did not listen on \(port) within the deadline")
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static func terminate(_ pid: pid_t) {
        guard kill(pid, SIGTERM) == 0 else { return }
        if !waitForExit(pid, seconds: 10) {
            kill(pid, SIGKILL)
            _ = waitForExit(pid, seconds: 5)
        }
    }

    /// Reaps the child when it is ours, else polls until the pid is gone.
    private static func waitForExit(_ pid: pid_t, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && kill(pid, 0) != 0 && errno == ESRCH) { return true }
            usleep(10_000)
        }
        return false
    }

    /// Servers whose test process died, found by their marker files.
    private static func stopAbandonedServers() {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("autodirector-moto-") {
            let parts = name.split(separator: "-")
            guard parts.count == 4, let owner = pid_t(parts[2]), let server = pid_t(parts[3]), owner != getpid(),
                kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            // Only a process that is still moto's server is stopped (the pid may have been reused).
            let command = (try? String(contentsOfFile: "/proc/\(server)/cmdline", encoding: .utf8)) ?? ""
            if command.contains("moto_server") { terminate(server) }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }

    /// posix_spawn with stdin from /dev/null, output to `output`, and no other descriptor of
    /// the test process (the server outlives the call).
    private static func spawn(_ argv: [String], output: URL) throws -> pid_t {
        let fd = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ThrowawayS3Error("cannot create \(output.path): errno \(errno)") }
        defer { close(fd) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)
        posix_spawn_file_actions_addclose(&actions, fd)
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int32.init)
        for inherited in open where inherited > 2 && inherited != fd { posix_spawn_file_actions_addclose(&actions, inherited) }
        var environment = ProcessInfo.processInfo.environment
        // Python writes its log lines as they come, so a failed start shows why.
        environment["PYTHONUNBUFFERED"] = "1"
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else { throw ThrowawayS3Error("cannot start \(argv[0]): errno \(spawned)") }
        return pid
    }

    /// A port nothing listens on now (the kernel's choice for an ephemeral bind).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ThrowawayS3Error("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ThrowawayS3Error("bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ThrowawayS3Error("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ThrowawayS3Error: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ description: String) { self.description = "Throwaway S3 (moto): \(description)" }
}
