import GRDB

/// Settings for actions that write a whole batch in one transaction.
enum BulkWrite {
    /// A large page cache keeps a 100k-row transaction from spilling pages to the WAL and
    /// reading them back; it is shrunk again afterwards so a long-running process stays small.
    static func withLargeCache<T>(_ db: Database, kibibytes: Int = 262_144, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "PRAGMA cache_size = -\(kibibytes)")
        defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
        return try body()
    }
}
