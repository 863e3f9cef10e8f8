import Foundation
import GRDB

/// Opening a project that cannot be written here: on a read-only medium or mount, or one whose
/// files belong to someone else. Reading it must still work (`shots`, `health`, `export` to
/// another place); a write is refused with a sentence that says why (`StoreError.readOnly`).
enum ReadOnlyProject {
    /// Whether this process may write the database and create its journal files beside it.
    /// `access` answers for the real medium too: EROFS on a read-only mount, even for root.
    static func canWrite(directory: URL, database path: String) -> Bool {
        access(directory.path, W_OK) == 0 && access(path, W_OK) == 0
    }

    /// A read-only pool. SQLite reads a WAL database read-only when its `-shm` file exists or
    /// can be made; when neither, and no `-wal` holds unfinished writes, the file is complete
    /// and is opened as immutable (no locks, no shared memory: nobody can write it here).
    static func open(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            // Opening is lazy: a first read tells whether SQLite can read it this way.
            _ = try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return pool
        } catch let first as DatabaseError {
            if let size = fileSize(path + "-wal"), size > 0 {
                throw StoreError.readOnlyUnreadable(path, "its write-ahead log (\(URL(fileURLWithPath: path).lastPathComponent)-wal) holds writes not yet merged, which SQLite can only read where it may write (\(first.message ?? "\(first)"))")
            }
            do {
                let pool = try DatabasePool(path: immutableURI(path), configuration: config)
                _ = try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
                return pool
            } catch let error as DatabaseError {
                throw StoreError.readOnlyUnreadable(path, error.message ?? "\(error)")
            }
        }
    }

    /// A database a newer version migrated further, or one that needs an upgrade this
    /// process cannot write, is refused.
    static func checkSchema(_ pool: DatabasePool, path: String) throws {
        do {
            let migrator = Schema.migrator
            let applied = try pool.read { try migrator.appliedIdentifiers($0) }
            let unknown = applied.subtracting(migrator.migrations)
            if !unknown.isEmpty { throw StoreError.newerSchema(path, unknown.sorted()) }
            let pending = migrator.migrations.filter { !applied.contains($0) }
            if !pending.isEmpty { throw StoreError.readOnlyNeedsUpgrade(path, pending) }
        } catch let error as DatabaseError {
            throw StoreError.readOnlyUnreadable(path, error.message ?? "\(error)")
        }
    }

    /// `file:` URI with `immutable=1` (SQLite's URI filenames; the path percent-encoded).
    private static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }

    private static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}
