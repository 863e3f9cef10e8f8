import Foundation
import GRDB

/// Who reviews which shot (SPEC §17) in the embedded store. A bulk assignment of 50k shots is
/// its ids in a temporary table, then a few set-based statements, in one transaction.
extension SQLiteStore {
    func assign(_ shotIDs: [String], to assignee: String?, by reviewer: String, at clock: @autoclosure () -> Date) throws -> AssignmentOutcome {
        try write { db in
            let now = clock()
            // The ids go into a temporary table once; the rest is set-based statements over it.
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS assign_ids (ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)")
            try db.execute(sql: "DELETE FROM temp.assign_ids")
            let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO temp.assign_ids (id) VALUES (?)")
            for id in shotIDs { try insert.execute(arguments: [id]) }
            if let missing = try String.fetchOne(
                db, sql: "SELECT t.id FROM temp.assign_ids t WHERE NOT EXISTS (SELECT 1 FROM shots s WHERE s.id = t.id) ORDER BY t.ord LIMIT 1")
            {
                throw MissingRecord.shot(missing)
            }
            let differs = "FROM temp.assign_ids t LEFT JOIN assignments a ON a.shot_id = t.id WHERE a.assignee IS NOT ?"
            let changed = try String.fetchAll(db, sql: "SELECT t.id \(differs) ORDER BY t.ord", arguments: [assignee])
            try db.execute(
                sql: "INSERT INTO assignment_log (shot_id, assignee, reviewer, at) SELECT t.id, ?, ?, ? \(differs) ORDER BY t.ord",
                arguments: [assignee, reviewer, now, assignee])
            if let assignee {
                try db.execute(
                    sql: """
                        INSERT INTO assignments (shot_id, assignee, assigned_by, assigned_at) SELECT t.id, ?, ?, ? \(differs)
                        ON CONFLICT(shot_id) DO UPDATE SET assignee = excluded.assignee, assigned_by = excluded.assigned_by,
                            assigned_at = excluded.assigned_at
                        """,
                    arguments: [assignee, reviewer, now, assignee])
            } else {
                try db.execute(sql: "DELETE FROM assignments WHERE shot_id IN (SELECT id FROM temp.assign_ids)")
            }
            try db.execute(sql: "DELETE FROM temp.assign_ids")
            return AssignmentOutcome(changed: changed, unchanged: Self.others(shotIDs, than: changed))
        }
    }

    /// `ids` (each once, in order) without `changed`.
    private static func others(_ ids: [String], than changed: [String]) -> [String] {
        let changedSet = Set(changed)
        var seen = Set<String>()
        return ids.filter { !changedSet.contains($0) && seen.insert($0).inserted }
    }

    func assignee(of shotID: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT assignee FROM assignments WHERE shot_id = ?", arguments: [shotID]) }
    }

    func assignmentLog(of shotID: String) throws -> [AssignmentEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT shot_id, assignee, reviewer, at FROM assignment_log WHERE shot_id = ? ORDER BY id", arguments: [shotID])
                .map { AssignmentEntry(shotID: $0[0], assignee: $0[1], reviewer: $0[2], at: $0[3]) }
        }
    }
}
