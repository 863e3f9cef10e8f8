import Foundation
import GRDB

extension ProjectStore {
    /// Records a queued render job for the given versions inside the caller's transaction. The
    /// render engine picks queued jobs up; until then they wait here, durably.
    func enqueueRender(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, at now: Date, _ db: Database
    ) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO jobs (state, total, reason, created_at) VALUES ('queued', ?, ?, ?)",
            arguments: [items.count, reason, now])
        let jobID = db.lastInsertedRowID
        let insert = try db.cachedStatement(
            sql: "INSERT INTO job_items (job_id, shot_id, version, hash, state) VALUES (?, ?, ?, ?, 'queued')")
        for item in items {
            try insert.execute(arguments: [jobID, item.shotID, item.version, item.hash])
        }
        return jobID
    }
}
