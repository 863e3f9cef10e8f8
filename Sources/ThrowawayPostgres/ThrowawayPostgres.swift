import AutoDirectorCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL server of its own for tests and benchmarks: `initdb` into a temporary directory,
/// listening on 127.0.0.1 on a free port, with a password for its one superuser (so connections
/// authenticate as a shared project's do), and stopped by its pid. PostgreSQL refuses to run as
/// root, so under root the server runs as Debian's `postgres` user.
///
/// A test process that dies leaves its cluster behind; the next `start` stops and removes any
/// cluster whose owning process is gone.
public final class ThrowawayPostgres: Sendable {
    public let port: Int
    public let user = "autodirector"
    public let password: String
    /// The cluster's directory (data, socket and log).
    public let directory: URL
    private let binaries: URL
    private let runAs: String?

    /// Where PostgreSQL's server programs are: `$AUTODIRECTOR_PG_BIN`, else the newest
    /// `/usr/lib/postgresql/*/bin` (Debian's layout); nil when there is no `initdb`.
    public static func binaryDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let bin = environment["AUTODIRECTOR_PG_BIN"], !bin.isEmpty {
            let url = URL(fileURLWithPath: bin, isDirectory: true)
            return FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("initdb").path) ? url : nil
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions {
            let url = URL(fileURLWithPath: "\(root)/\(version)/bin", isDirectory: true)
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("initdb").path) { return url }
        }
        return nil
    }

    public static var isAvailable: Bool { binaryDirectory() != nil }

    /// The line a run without PostgreSQL prints instead of its shared-project tests.
    public static let unavailableNote =
        "PostgreSQL's server (Debian's postgresql package) is not installed: the shared-project tests did not run. "
        + "scripts/install-prerequisites installs it; CI requires it."

    /// Creates and starts a cluster. `durable: false` turns fsync off (tests); benchmarks keep it on.
    public static func start(durable: Bool = false) throws -> ThrowawayPostgres {
        guard let binaries = binaryDirectory() else { throw ThrowawayPostgresError(unavailableNote) }
        removeAbandonedClusters()
        let runAs = getuid() == 0 ? "postgres" : nil
        let directory = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("autodirector-pg-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let runAs {
            guard let account = getpwnam(runAs) else {
                throw ThrowawayPostgresError("running as root, PostgreSQL needs the unprivileged user \(runAs), which does not exist")
            }
            guard chown(directory.path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                throw ThrowawayPostgresError("cannot give \(directory.path) to \(runAs): errno \(errno)")
            }
        }
        let password = "pw-\(UUID().uuidString)"
        let passwordFile = directory.appendingPathComponent("pwfile")
        try Data((password + "\n").utf8).write(to: passwordFile)
        if let runAs, let account = getpwnam(runAs) { _ = chown(passwordFile.path, account.pointee.pw_uid, account.pointee.pw_gid) }
        try run(
            binaries.appendingPathComponent("initdb"), runAs: runAs,
            ["-D", directory.appendingPathComponent("data").path, "-U", "autodirector", "--pwfile", passwordFile.path,
             "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"])
        try? FileManager.default.removeItem(at: passwordFile)
        var lastError: (any Error)?
        // A free port can be taken between choosing it and the server binding it: try another.
        for _ in 0..<5 {
            let cluster = ThrowawayPostgres(port: try freePort(), password: password, directory: directory, binaries: binaries, runAs: runAs)
            do {
                try cluster.startServer(durable: durable)
                return cluster
            } catch {
                lastError = error
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError ?? ThrowawayPostgresError("the server did not start")
    }

    private init(port: Int, password: String, directory: URL, binaries: URL, runAs: String?) {
        self.port = port
        self.password = password
        self.directory = directory
        self.binaries = binaries
        self.runAs = runAs
    }

    /// Starts the server on the existing cluster (again, after `stopServer`), waiting until it
    /// accepts connections.
    /// `settings`: more server settings (`-c name=value`), e.g. statement logging for a benchmark.
    public func startServer(durable: Bool = false, settings: [String: String] = [:]) throws {
        let options =
            "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c max_connections=300"
            + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            + settings.sorted { $0.key < $1.key }.map { " -c \($0.key)=\($0.value)" }.joined()
        try Self.run(
            binaries.appendingPathComponent("pg_ctl"), runAs: runAs,
            ["start", "-w", "-t", "60", "-D", dataDirectory.path, "-l", logFile.path, "-o", options])
    }

    /// Stops the server (fast shutdown: clients are disconnected) and waits until its process is
    /// gone; the cluster stays for `startServer`.
    public func stopServer() {
        guard let pid = serverPID() else { return }
        kill(pid, SIGINT)
        if !Self.waitForExit(pid, seconds: 15) {
            kill(pid, SIGKILL)
            _ = Self.waitForExit(pid, seconds: 5)
        }
    }

    /// Stops the server and removes the cluster.
    public func destroy() {
        stopServer()
        try? FileManager.default.removeItem(at: directory)
    }

    public var dataDirectory: URL { directory.appendingPathComponent("data", isDirectory: true) }

    /// The server's log (its stderr).
    public var logFile: URL { directory.appendingPathComponent("server.log") }

    /// The server's pid, from its pid file; nil when it is not running.
    public func serverPID() -> pid_t? {
        Self.serverPID(dataDirectory: dataDirectory)
    }

    /// A new, empty database, and its URL (with the password).
    public func createDatabase(_ name: String) throws -> DatabaseURL {
        try Self.run(
            binaries.appendingPathComponent("createdb"), runAs: nil,
            ["-h", "127.0.0.1", "-p", String(port), "-U", user, name], environment: ["PGPASSWORD": password])
        return url(database: name)
    }

    public func url(database: String) -> DatabaseURL {
        DatabaseURL(user: user, password: password, host: "127.0.0.1", port: port, database: database, sslMode: .disable)
    }

    /// The URL as a user writes it, password included (for `AUTODIRECTOR_DATABASE_URL`).
    public func urlText(database: String) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    // MARK: Processes

    private static func serverPID(dataDirectory: URL) -> pid_t? {
        guard let text = try? String(contentsOf: dataDirectory.appendingPathComponent("postmaster.pid"), encoding: .utf8),
            let first = text.split(separator: "\n").first, let pid = pid_t(first), pid > 0, kill(pid, 0) == 0 || errno == EPERM
        else { return nil }
        return pid
    }

    private static func waitForExit(_ pid: pid_t, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if kill(pid, 0) != 0 && errno == ESRCH { return true }
            usleep(10_000)
        }
        return false
    }

    /// Clusters whose test process died: their servers are stopped and their directories removed.
    private static func removeAbandonedClusters() {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("autodirector-pg-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 4, let owner = pid_t(parts[2]), owner != getpid(), kill(owner, 0) != 0, errno == ESRCH else { continue }
            let cluster = temporary.appendingPathComponent(name, isDirectory: true)
            if let pid = serverPID(dataDirectory: cluster.appendingPathComponent("data")) {
                kill(pid, SIGINT)
                if !waitForExit(pid, seconds: 10) { kill(pid, SIGKILL) }
            }
            try? FileManager.default.removeItem(at: cluster)
        }
    }

    /// Runs a program to its end; throws with its output when it fails. posix_spawn and
    /// waitpid rather than Foundation's Process, whose exit detection missed `pg_ctl`'s exit
    /// (its server, a grandchild, keeps the output file open).
    private static func run(_ executable: URL, runAs: String?, _ arguments: [String], environment: [String: String] = [:]) throws {
        let argv = runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", executable.path] + arguments } ?? [executable.path] + arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        // Messages in English whatever the machine's locale.
        merged["LC_ALL"] = "C"
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-pg-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let fd = open(output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ThrowawayPostgresError("cannot create \(output.path): errno \(errno)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fd, 1)
        posix_spawn_file_actions_adddup2(&actions, fd, 2)
        posix_spawn_file_actions_addclose(&actions, fd)
        // Nothing else of the test process's: the server outlives this call, and an inherited
        // descriptor (a lock, a listening socket) would live as long as it.
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int32.init)
        for inherited in open where inherited > 2 && inherited != fd { posix_spawn_file_actions_addclose(&actions, inherited) }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in cArguments { free(pointer) }
            for pointer in cEnvironment { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        close(fd)
        guard spawned == 0 else { throw ThrowawayPostgresError("cannot start \(argv[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw ThrowawayPostgresError(
                "\(executable.lastPathComponent) failed (\(exited ? "exit \(code)" : "signal \(status & 0x7f)")): \(text.suffix(2000))")
        }
    }

    /// A port nothing listens on now (the kernel's choice for an ephemeral bind).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ThrowawayPostgresError("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ThrowawayPostgresError("bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ThrowawayPostgresError("getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public struct ThrowawayPostgresError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = "Throwaway PostgreSQL: \(description)" }
}
