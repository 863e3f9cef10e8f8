import Foundation
import GRDB
import Synchronization

/// Notices commits to the project made by other processes (a CLI, a second TUI, the HTTP
/// service) — not this process's own, which its callers already know about — through
/// `PRAGMA data_version`. Asking costs no table read, so it can be polled several times a second.
///
/// SQLite changes a connection's `data_version` only when *another* connection committed, and
/// this process writes only through its pool's one writer connection; so the question is asked
/// on that connection, and the process's own commits never count. Counting our own commits and
/// comparing would not do: `data_version` moves once per read that notices commits, however
/// many there were, so a count cannot tell "ours" from "ours and someone else's". Asking on the
/// writer waits for a write of this process in progress, which is why it is polled off the UI
/// thread.
public final class ChangeWatcher: Sendable {
    private let pool: DatabasePool
    private let last = Mutex<Int?>(nil)

    init(pool: DatabasePool) throws {
        self.pool = pool
        _ = try changed()
    }

    /// Whether another process committed since the last call (the first call only takes note).
    public func changed() throws -> Bool {
        let version = try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        return last.withLock { last in
            defer { last = version }
            return last != nil && last != version
        }
    }
}

extension SQLiteStore {
    public func makeChangeWatcher() throws -> ChangeWatcher {
        do { return try ChangeWatcher(pool: pool) } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }
}
