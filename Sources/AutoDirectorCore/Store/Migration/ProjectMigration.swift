import Foundation
import GRDB
import PostgresNIO

/// `migrate --to URL` (SPEC §16): a SQLite project copied into an empty PostgreSQL database in
/// bulk, then checked. The whole copy is one PostgreSQL transaction — schema, rows, sequences,
/// the check — committed only when every table's row count and every version hash match; a
/// failure or a kill at any point leaves the target as empty as it was. The SQLite project is
/// only read, from one snapshot.
struct ProjectMigration {
    let source: MigrationSource
    let target: DatabaseURL
    /// COPY text sent per statement: large enough that round trips cost nothing, small enough
    /// that a 100k-row table is never held whole.
    var chunkBytes = 4 << 20

    func run(progress: (MigrationProgress) -> Void) throws -> MigrationReport {
        let started = ContinuousClock.now
        let session = try PostgresSession(url: target)
        let location = target.description
        let tables = try session.withConnection { connection in
            let tx = PostgresTransaction(connection: connection, logger: session.logger)
            try tx.execute("BEGIN")
            do {
                try MigrationTarget.claimEmpty(tx, location: location)
                try MigrationTarget.createSchema(tx)
                let copied = try source.read { db in
                    (tables: try copyTables(db, into: tx, progress: progress), lastIDs: try MigrationSource.lastIDs(db),
                     digest: try VersionHashDigest.sqlite(db))
                }
                try MigrationTarget.advanceSequences(tx, lastIDs: copied.lastIDs)
                try MigrationTarget.bumpGeneration(tx, writer: session.writerToken)
                progress(.verifying)
                try verify(copied.tables, digest: copied.digest, tx)
                try MigrationTarget.analyze(tx)
                try tx.execute("COMMIT")
                return (copied.tables, copied.digest.versions)
            } catch {
                _ = try? tx.execute("ROLLBACK")
                throw error
            }
        }
        return MigrationReport(
            source: source.path, target: location, schema: PostgresSchema.identifiers.last ?? "none", tables: tables.0,
            versionHashes: tables.1, seconds: (ContinuousClock.now - started).seconds)
    }

    private func copyTables(
        _ db: GRDB.Database, into tx: PostgresTransaction, progress: (MigrationProgress) -> Void
    ) throws -> [MigrationReport.Table] {
        var tables: [MigrationReport.Table] = []
        for table in MigratedTable.all {
            let tableStarted = ContinuousClock.now
            let rows = try SQLiteCopyReader.read(table, from: db, chunkBytes: chunkBytes) { chunk in
                try tx.copy(into: table.name, columns: table.columns, data: chunk.buffer)
            }
            tables.append(MigrationReport.Table(name: table.name, rows: rows))
            progress(.copied(table: table.name, rows: rows, seconds: (ContinuousClock.now - tableStarted).seconds))
        }
        return tables
    }

    /// Counted and hashed again on the target, inside the transaction: a difference rolls back.
    private func verify(_ tables: [MigrationReport.Table], digest: VersionHashDigest.Value, _ tx: PostgresTransaction) throws {
        for (table, copied) in zip(MigratedTable.all, tables) {
            let rows = try MigrationTarget.rowCount(tx, table)
            if rows != copied.rows { throw MigrationError.rowCountMismatch(table: table.name, source: copied.rows, target: rows) }
        }
        if try VersionHashDigest.postgres(tx) != digest { throw MigrationError.versionHashMismatch(versions: digest.versions) }
    }
}
