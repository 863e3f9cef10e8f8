import AutoDirectorCLI
import Foundation
import Synchronization
import ThrowawayPostgres

/// Runs the command line in-process, as the executable does, with captured output.
struct CLIHarness {
    struct Outcome {
        var code: Int32
        var out: String
        var err: String
    }

    let root: URL
    var project: String { root.appendingPathComponent("project").path }
    /// `AUTODIRECTOR_DATABASE_URL` for every command, on a shared project.
    let databaseURL: String?

    /// `.postgres`: a fresh database of the test process's throwaway server.
    init(_ kind: StoreKind = .sqlite) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("adcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        sharedProject = nil
        if kind == .postgres {
            let cluster = try ThrowawayPostgres.shared()
            let url = try ThrowawayPostgres.freshDatabase()
            databaseURL = cluster.urlText(database: url.database)
        } else {
            databaseURL = nil
        }
    }

    /// A shared project in the database at `databaseURL` (a server of the test's own).
    init(databaseURL: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("adcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        sharedProject = nil
        self.databaseURL = databaseURL
    }

    /// Another machine on the same project: its own directory, the same database (for SQLite,
    /// the same project: another process).
    func secondMachine() throws -> CLIHarness {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("second-machine"), withIntermediateDirectories: true)
        return CLIHarness(root: root.appendingPathComponent("second-machine"), databaseURL: databaseURL, sameProjectAs: databaseURL == nil ? self : nil)
    }

    private let sharedProject: String?

    private init(root: URL, databaseURL: String?, sameProjectAs other: CLIHarness?) {
        self.root = root
        self.databaseURL = databaseURL
        sharedProject = other?.project
    }

    func cleanUp() { try? FileManager.default.removeItem(at: root) }

    @discardableResult
    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) async -> Outcome {
        let out = Mutex("")
        let err = Mutex("")
        let console = Console(isTerminal: false, out: { text in out.withLock { $0 += text } }, error: { text in err.withLock { $0 += text } })
        var env = ["USER": "tester", "AUTODIRECTOR_PROJECT": sharedProject ?? project]
        if let databaseURL { env["AUTODIRECTOR_DATABASE_URL"] = databaseURL }
        env.merge(environment) { $1 }
        let context = CommandContext(console: console, environment: env, clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let code = await CLI.run(arguments: arguments, context: context)
        return Outcome(code: code, out: out.withLock { $0 }, err: err.withLock { $0 })
    }
}
