import Foundation
import GRDB

/// Who reviews which shot (SPEC §17) in the embedded store. A bulk assignment of 50k shots is
/// three prepared statements run per shot in one transaction.
extension SQLiteStore {
    func assign(_ shotIDs: [String], to assignee: String?, by reviewer: String, at clock: @autoclosure () -> Date) throws -> AssignmentOutcome {
        try write { db in
            let now = clock()
            var outcome = AssignmentOutcome()
            var seen = Set<String>()
            let current = try db.cachedStatement(sql: "SELECT s.id, a.assignee FROM shots s LEFT JOIN assignments a ON a.shot_id = s.id WHERE s.id = ?")
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO assignments (shot_id, assignee, assigned_by, assigned_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(shot_id) DO UPDATE SET assignee = excluded.assignee, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at
                """)
            let remove = try db.cachedStatement(sql: "DELETE FROM assignments WHERE shot_id = ?")
            let log = try db.cachedStatement(sql: "INSERT INTO assignment_log (shot_id, assignee, reviewer, at) VALUES (?, ?, ?, ?)")
            for id in shotIDs where seen.insert(id).inserted {
                guard let row = try Row.fetchOne(current, arguments: [id]) else { throw MissingRecord.shot(id) }
                let was: String? = row[1]
                guard was != assignee else {
                    outcome.unchanged.append(id)
                    continue
                }
                if let assignee {
                    try upsert.execute(arguments: [id, assignee, reviewer, now])
                } else {
                    try remove.execute(arguments: [id])
                }
                try log.execute(arguments: [id, assignee, reviewer, now])
                outcome.changed.append(id)
            }
            return outcome
        }
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
