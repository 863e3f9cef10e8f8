import GRDB

/// Row counts of the main tables, for health (SPEC §12).
public struct StoreCounts: Sendable, Equatable, Codable {
    public var batches: Int
    public var shots: Int
    public var versions: Int
    public var jobs: Int
    public var artifacts: Int
    public var reviewActions: Int
}

extension SQLiteStore {
    func counts() throws -> StoreCounts {
        try read { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return StoreCounts(
                batches: try count("batches"), shots: try count("(SELECT DISTINCT shot_id FROM versions)"), versions: try count("versions"),
                jobs: try count("jobs"), artifacts: try count("artifacts"), reviewActions: try count("review_log"))
        }
    }
}
