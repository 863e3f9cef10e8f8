import Foundation
import GRDB

/// The project's SQLite database (SPEC §6): WAL mode, versioned migrations, one transaction per
/// action. Safe with several processes on one project: writers take the lock up front
/// (IMMEDIATE transactions) and wait for each other instead of failing with "database is locked".
public final class SQLiteStore: ProjectStore {
    public static let fileName = "autodirector.sqlite"

    public let directory: URL
    let pool: DatabasePool
    /// Opened for reading only: the project's directory or database cannot be written (a
    /// read-only medium or mount, or permissions). Every write is refused with
    /// `StoreError.readOnly` instead of failing inside SQLite.
    public let isReadOnly: Bool

    public var location: String { directory.appendingPathComponent(Self.fileName).path }

    /// `onUpgrade` is told the migrations an existing database is about to go through (a slow
    /// step on a large project, worth a word to the user); it is not called for a new one.
    public init(directory: URL, mode: StoreOpenMode, onUpgrade: (@Sendable ([String]) -> Void)? = nil) throws {
        self.directory = directory
        let path = directory.appendingPathComponent(Self.fileName).path
        for file in [Self.fileName, Self.fileName + "-wal", Self.fileName + "-shm"] {
            _ = try ProjectPaths.inside(directory, file)
        }
        let fileManager = FileManager.default
        let existed = fileManager.fileExists(atPath: path)
        if !existed {
            guard mode == .create else { throw StoreError.noProject(directory.path) }
            do {
                try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.cannotCreate(directory.path, FileErrorText.reason(error))
            }
        }
        isReadOnly = existed && !ReadOnlyProject.canWrite(directory: directory, database: path)
        if isReadOnly {
            pool = try ReadOnlyProject.open(path)
            try ReadOnlyProject.checkSchema(pool, path: path)
            return
        }
        var config = Configuration()
        // Another process (a TUI beside a CLI) may hold the write lock for a long action such as
        // planning 100k shots: wait rather than surface "database is locked".
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = Schema.migrator
            if existed {
                let applied = try pool.read { try migrator.appliedIdentifiers($0) }
                // A database a newer version migrated further: writing it with this schema in
                // mind could corrupt it.
                let unknown = applied.subtracting(migrator.migrations)
                if !unknown.isEmpty { throw StoreError.newerSchema(path, unknown.sorted()) }
                let pending = migrator.migrations.filter { !applied.contains($0) }
                if !applied.isEmpty && !pending.isEmpty { onUpgrade?(pending) }
            }
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try translate { try pool.read(body) }
    }

    /// One write transaction: everything in `body` is stored together or not at all.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        if isReadOnly { throw StoreError.readOnly(directory.path) }
        return try translate { try pool.write(body) }
    }

    private func translate<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }

    public func schemaVersion() throws -> String {
        try read { try Schema.version($0) }
    }

    public func integrityCheck() throws -> String {
        try read { try String.fetchOne($0, sql: "PRAGMA integrity_check") ?? "unknown" }
    }
}
