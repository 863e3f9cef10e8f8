import Foundation
import GRDB

/// The SQLite side of `migrate`: the project's database opened for reading only (the project is
/// left exactly as it was, and keeps working beside the migration), at the latest schema step,
/// with exactly the columns `MigratedTable` copies.
struct MigrationSource {
    let pool: DatabasePool
    let path: String

    init(projectDirectory: URL) throws {
        path = projectDirectory.appendingPathComponent(SQLiteStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noProject(projectDirectory.path) }
        pool = try ReadOnlyProject.open(path)
        do {
            try ReadOnlyProject.checkSchema(pool, path: path)
        } catch StoreError.readOnlyNeedsUpgrade(let path, let steps) {
            throw MigrationError.sourceNeedsUpgrade(path, steps)
        }
        try checkTables()
    }

    /// One snapshot of the project: every table read in `body` is of the same moment, even
    /// while another process writes to the project.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError {
            throw StoreError.database(error.message ?? error.description)
        }
    }

    /// A column the copy does not name would be lost without a word: refuse instead (a schema
    /// step added to SQLite and not yet to the migration).
    private func checkTables() throws {
        try read { db in
            for table in MigratedTable.all {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.name))").map { $0["name"] as String }
                if Set(columns) != Set(table.columns) { throw MigrationError.sourceSchemaUnknown(path, table: table.name) }
            }
        }
    }

    /// The id each serial table's sequence must start after: its largest id, or for an
    /// AUTOINCREMENT table (jobs, review_log) the largest it ever gave, so that an id of a
    /// deleted row is not given again on PostgreSQL either.
    static func lastIDs(_ db: Database) throws -> [String: Int64] {
        var given: [String: Int64] = [:]
        if try db.tableExists("sqlite_sequence") {
            for row in try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence") {
                given[row["name"]] = row["seq"]
            }
        }
        var last: [String: Int64] = [:]
        for table in MigratedTable.all where table.hasSerialID {
            let largest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \(table.name)") ?? 0
            last[table.name] = max(largest, given[table.name] ?? 0)
        }
        return last
    }
}
