/// Tells whether another process has committed to the project since it last looked: the TUI
/// and the service poll it a few times a second to stay fresh. SQLite answers from `PRAGMA
/// data_version` (`ChangeWatcher`), PostgreSQL from LISTEN/NOTIFY with a polled counter as the
/// fallback (`PostgresChangeWatcher`).
public protocol ChangeWatching: Sendable {
    /// Whether anything was committed since the last call (the first call only takes note).
    func changed() throws -> Bool
    /// Whether `changed()` learns of another process's commit from a notification, in memory
    /// (LISTEN), so that asking it every few milliseconds costs nothing; otherwise each call
    /// may ask the database.
    var hearsCommits: Bool { get }
}

extension ChangeWatching {
    public var hearsCommits: Bool { false }
}

extension ChangeWatcher: ChangeWatching {}

extension SQLiteStore {
    func changeWatcher() throws -> any ChangeWatching { try makeChangeWatcher() }
}
