import Foundation
import GRDB
import Synchronization

/// Notices commits to the project made by any other connection — another process (a CLI, a
/// second TUI, the HTTP service) or this process's own writers — through `PRAGMA
/// data_version`, which SQLite changes on a connection whenever another connection commits.
/// Asking costs no table read, so it can be polled several times a second.
public final class ChangeWatcher: Sendable {
    private let connection: DatabaseQueue
    private let last = Mutex<Int?>(nil)

    init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        _ = try changed()
    }

    /// Whether anything was committed since the last call (the first call only takes note).
    public func changed() throws -> Bool {
        let version = try connection.read { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return last.withLock { last in
            defer { last = version }
            return last != nil && last != version
        }
    }
}

extension SQLiteStore {
    public func makeChangeWatcher() throws -> ChangeWatcher {
        try ChangeWatcher(path: directory.appendingPathComponent(Self.fileName).path)
    }
}
