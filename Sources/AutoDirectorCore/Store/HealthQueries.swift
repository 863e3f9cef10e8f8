import GRDB

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
