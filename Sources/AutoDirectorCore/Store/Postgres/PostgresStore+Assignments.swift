import Foundation
import PostgresNIO

/// Who reviews which shot (SPEC §17) in a shared project: a bulk assignment is a few statements
/// over arrays, however many shots.
extension PostgresStore {
    func assign(_ shotIDs: [String], to assignee: String?, by reviewer: String, at clock: @autoclosure () -> Date) throws -> AssignmentOutcome {
        var seen = Set<String>()
        let ids = shotIDs.filter { seen.insert($0).inserted }
        let outcome = try write { tx in
            let now = StoredDate.text(clock())
            if let missing = try tx.one(
                "SELECT u.id FROM unnest(\(ids)::text[]) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM shots s WHERE s.id = u.id) LIMIT 1",
                as: String.self)
            {
                throw MissingRecord.shot(missing)
            }
            let changed: [String]
            if let assignee {
                changed = try tx.column("""
                    WITH changed AS (
                        INSERT INTO assignments (shot_id, assignee, assigned_by, assigned_at)
                        SELECT u.id, \(assignee), \(reviewer), \(now) FROM unnest(\(ids)::text[]) AS u(id)
                        ON CONFLICT (shot_id) DO UPDATE SET assignee = EXCLUDED.assignee, assigned_by = EXCLUDED.assigned_by,
                            assigned_at = EXCLUDED.assigned_at
                        WHERE assignments.assignee IS DISTINCT FROM EXCLUDED.assignee
                        RETURNING shot_id
                    )
                    INSERT INTO assignment_log (shot_id, assignee, reviewer, at)
                    SELECT shot_id, \(assignee), \(reviewer), \(now) FROM changed ORDER BY shot_id
                    RETURNING shot_id
                    """, as: String.self)
            } else {
                changed = try tx.column("""
                    WITH changed AS (DELETE FROM assignments WHERE shot_id = ANY(\(ids)::text[]) RETURNING shot_id)
                    INSERT INTO assignment_log (shot_id, assignee, reviewer, at)
                    SELECT shot_id, NULL, \(reviewer), \(now) FROM changed ORDER BY shot_id
                    RETURNING shot_id
                    """, as: String.self)
            }
            let changedSet = Set(changed)
            return AssignmentOutcome(changed: ids.filter(changedSet.contains), unchanged: ids.filter { !changedSet.contains($0) })
        }
        // My queue right after a bulk assignment is planned with fresh statistics (as a big job's).
        if outcome.changed.count >= Self.analyzeAfterItems { _ = try? session.writeOutsideTurn { tx in try tx.execute("ANALYZE assignments") } }
        return outcome
    }

    func assignee(of shotID: String) throws -> String? {
        try read { tx in try tx.one("SELECT assignee FROM assignments WHERE shot_id = \(shotID)", as: String.self) }
    }

    func assignmentLog(of shotID: String) throws -> [AssignmentEntry] {
        try read { tx in
            try tx.rows("SELECT shot_id, assignee, reviewer, at FROM assignment_log WHERE shot_id = \(shotID) ORDER BY id").map { row in
                AssignmentEntry(shotID: try row.string(0), assignee: try row.optionalString(1), reviewer: try row.string(2), at: try row.date(3))
            }
        }
    }
}
