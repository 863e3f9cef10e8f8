/// Tells whether another process has committed to the project since it last looked: the TUI
/// and the service poll it a few times a second to stay fresh. SQLite answers from `PRAGMA
/// data_version` (`ChangeWatcher`), PostgreSQL from LISTEN/NOTIFY with a polled counter as the
/// fallback (`PostgresChangeWatcher`).
public protocol ChangeWatching: Sendable {
    /// Whether anything was committed since the last call (the first call only takes note).
    func changed() throws -> Bool
}

extension ChangeWatcher: ChangeWatching {}

extension SQLiteStore {
    func changeWatcher() throws -> any ChangeWatching { try makeChangeWatcher() }
}
