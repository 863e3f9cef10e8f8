import Foundation
import PostgresNIO

extension PostgresStore {
    /// As SQLite's: the batch's notes, assignees, retake counts and approved stages.
    func exportedReviews(batchID: String) throws -> ExportedReviews {
        try read { tx in
            var reviews = ExportedReviews()
            let notes = try tx.rows("""
                SELECT \(unescaped: Self.noteColumns) FROM notes
                WHERE shot_id IN (SELECT id FROM shots WHERE batch_id = \(batchID)) AND state <> 'withdrawn' ORDER BY id
                """
            ).map(Self.note)
            for note in notes { reviews.notes[VersionKey(shotID: note.shotID, version: note.version), default: []].append(note) }
            for row in try tx.rows(
                "SELECT a.shot_id, a.assignee FROM assignments a JOIN shots s ON s.id = a.shot_id WHERE s.batch_id = \(batchID)")
            {
                reviews.assignees[try row.string(0)] = try row.string(1)
            }
            for row in try tx.rows("""
                SELECT r.shot_id, COUNT(*) FROM review_log r JOIN shots s ON s.id = r.shot_id
                WHERE s.batch_id = \(batchID) AND \(unescaped: SharedSQL.countedRetake)
                GROUP BY r.shot_id
                """)
            {
                reviews.retakes[try row.string(0)] = Int(try row.at(1, as: Int64.self))
            }
            for row in try tx.rows("""
                SELECT v.shot_id, v.number, v.approved_stages FROM versions v JOIN shots s ON s.id = v.shot_id
                WHERE s.batch_id = \(batchID) AND v.approved_stages <> ''
                """)
            {
                reviews.approvedStages[VersionKey(shotID: try row.string(0), version: try row.int(1))] = StoredStages.names(try row.string(2))
            }
            return reviews
        }
    }
}
