/// What `migrate` copied and checked: every table's rows (the same on both sides, or the
/// migration would have failed) and how many version hashes matched.
public struct MigrationReport: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var rows: Int
    }

    /// The SQLite file copied from.
    public var source: String
    /// The database copied into, without its password.
    public var target: String
    /// The PostgreSQL schema step the target now has.
    public var schema: String
    public var tables: [Table]
    public var versionHashes: Int
    public var seconds: Double
}

/// A migration's progress, for a face that shows it: one event per table copied, then the
/// check.
public enum MigrationProgress: Sendable {
    case copied(table: String, rows: Int, seconds: Double)
    case verifying
}
