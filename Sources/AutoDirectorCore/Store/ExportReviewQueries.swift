import Foundation
import GRDB

extension SQLiteStore {
    /// The batch's notes, assignees, retake counts and approved stages for its export.
    func exportedReviews(batchID: String) throws -> ExportedReviews {
        try read { db in
            var reviews = ExportedReviews()
            let notes = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.noteColumns) FROM notes
                    WHERE shot_id IN (SELECT id FROM shots WHERE batch_id = ?) AND state <> 'withdrawn' ORDER BY id
                    """,
                arguments: [batchID]
            ).map(Self.note)
            for note in notes { reviews.notes[VersionKey(shotID: note.shotID, version: note.version), default: []].append(note) }
            for row in try Row.fetchAll(
                db, sql: "SELECT a.shot_id, a.assignee FROM assignments a JOIN shots s ON s.id = a.shot_id WHERE s.batch_id = ?",
                arguments: [batchID])
            {
                reviews.assignees[row[0]] = row[1]
            }
            // A retake undone is not counted: the undo logged an entry for that version.
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT r.shot_id, COUNT(*) FROM review_log r JOIN shots s ON s.id = r.shot_id
                    WHERE s.batch_id = ? AND \(SharedSQL.countedRetake)
                    GROUP BY r.shot_id
                    """,
                arguments: [batchID])
            {
                reviews.retakes[row[0]] = row[1]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT v.shot_id, v.number, v.approved_stages FROM versions v JOIN shots s ON s.id = v.shot_id
                    WHERE s.batch_id = ? AND v.approved_stages <> ''
                    """,
                arguments: [batchID])
            {
                reviews.approvedStages[VersionKey(shotID: row[0], version: row[1])] = StoredStages.names(row[2])
            }
            return reviews
        }
    }
}
