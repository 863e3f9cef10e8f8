import PostgresNIO

/// The PostgreSQL side of `migrate`, all inside the one transaction that copies the rows: the
/// database is checked to be empty, given the schema, and after the copy its sequences and
/// generation are set. A failure anywhere rolls all of it back, so a target is either untouched
/// or a complete project.
enum MigrationTarget {
    /// Takes the schema's advisory lock (a process opening the same database waits for the copy
    /// to commit, instead of creating a schema of its own beside it) and refuses any database
    /// that holds part of a project.
    static func claimEmpty(_ tx: PostgresTransaction, location: String) throws {
        try tx.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))")
        var found = try tx.column(
            """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname = ANY(\(MigratedTable.targetRelations)) ORDER BY 1
            """, as: String.self)
        if try tx.one("SELECT to_regclass('autodirector_migrations') IS NOT NULL", as: Bool.self) == true {
            // In the schema's order (pg10 after pg9), any this version does not know last.
            let known = PostgresSchema.identifiers
            let steps = try tx.column("SELECT identifier FROM autodirector_migrations ORDER BY 1", as: String.self)
                .sorted { (known.firstIndex(of: $0) ?? known.count) < (known.firstIndex(of: $1) ?? known.count) }
            if !steps.isEmpty { found.append("schema steps \(steps.joined(separator: ", "))") }
        }
        if !found.isEmpty { throw MigrationError.targetNotEmpty(location, found: found) }
    }

    /// Every schema step, recorded as applied, in the copy's transaction.
    static func createSchema(_ tx: PostgresTransaction) throws {
        try PostgresSchema.createMigrationsTable(tx)
        try PostgresSchema.apply(PostgresSchema.steps, tx)
    }

    /// Moves each serial table's sequence past the ids copied into it: the next insert takes
    /// `lastID + 1` (or 1 for a table that was empty).
    static func advanceSequences(_ tx: PostgresTransaction, lastIDs: [String: Int64]) throws {
        for (table, lastID) in lastIDs.sorted(by: { $0.key < $1.key }) {
            try tx.execute(
                "SELECT setval(pg_get_serial_sequence(\(table), 'id'), \(max(lastID, 1)), \(lastID > 0))")
        }
    }

    /// One write, as every write transaction counts: watchers opened later start from it.
    static func bumpGeneration(_ tx: PostgresTransaction, writer: String) throws {
        try tx.execute("UPDATE project_state SET generation = generation + 1, writer = \(writer) WHERE id = 1")
    }

    /// Statistics now rather than when autovacuum first looks: the first queries on a fresh
    /// 100k-row table would otherwise be planned as if it were empty.
    static func analyze(_ tx: PostgresTransaction) throws {
        try tx.execute(PostgresQuery(unsafeSQL: "ANALYZE " + MigratedTable.all.map(\.name).joined(separator: ", ")))
    }

    static func rowCount(_ tx: PostgresTransaction, _ table: MigratedTable) throws -> Int {
        Int(try tx.one(PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table.name)"), as: Int64.self) ?? 0)
    }
}
