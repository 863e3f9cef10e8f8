import Foundation
import GRDB

extension SQLiteStore {
    /// Applies one review action to the requested versions in a single transaction, each as
    /// `judge` decides from what is stored: either every change is logged, or (when `judge`
    /// refuses any) none is and `ReviewRefusal` is thrown (SPEC §8).
    func review(
        _ requests: [ReviewRequest], stage: String?, note: String?, opening: NoteToOpen?, reviewer: String,
        at clock: @autoclosure () -> Date, judge: (ReviewCandidate) -> ReviewVerdict
    ) throws -> ReviewOutcome {
        try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            let actionID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(action_id), 0) + 1 FROM review_log")) ?? 1
            var outcome = ReviewOutcome(actionID: nil, changed: [], unchanged: [])
            var refusals: [EngineError] = []
            var seen = Set<String>()
            for request in requests {
                // A shot named twice in one action is reviewed once.
                guard seen.insert("\(request.shotID)\u{0}\(request.version.map(String.init) ?? "")").inserted else { continue }
                let candidate = try reviewCandidate(request, db)
                switch judge(candidate) {
                case .refused(let reason):
                    refusals.append(reason)
                case .unchanged:
                    if case .version(let target, _, _, _) = candidate { outcome.unchanged.append(target) }
                case .change(let status, let stages):
                    guard case .version(let target, let current, let currentStages, _) = candidate else { continue }
                    try log(
                        target, ReviewStep(status: status, previous: current, stage: stage, stages: stages, previousStages: currentStages),
                        note: note, reviewer: reviewer, at: now, actionID: actionID, undoes: nil, db)
                    if let opening {
                        _ = try Self.insert(
                            Note(
                                id: 0, shotID: target.shotID, version: target.version, author: reviewer, body: opening.body, pin: opening.pin,
                                actionID: actionID, createdAt: now), db)
                    }
                    outcome.changed.append(target)
                }
            }
            if !refusals.isEmpty { throw ReviewRefusal(reasons: refusals) }
            if !outcome.changed.isEmpty { outcome.actionID = actionID }
            return outcome
        }
    }

    /// Statements are prepared once per connection (`cachedStatement`): a bulk action over 100k
    /// shots runs each of them 100k times, and parsing the SQL again each time was most of it.
    private func reviewCandidate(_ request: ReviewRequest, _ db: Database) throws -> ReviewCandidate {
        let latestSQL = "SELECT MAX(number) FROM versions WHERE shot_id = ?"
        guard let latest = try Int.fetchOne(db.cachedStatement(sql: latestSQL), arguments: [request.shotID]) else {
            return .noShot(request.shotID)
        }
        let number = request.version ?? latest
        let versionSQL = "SELECT v.review, \(Self.renderStatusSQL), v.approved_stages FROM versions v WHERE v.shot_id = ? AND v.number = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: versionSQL), arguments: [request.shotID, number]) else {
            return .noVersion(request.shotID, number)
        }
        // Columns by index: name lookups cost more than the query at this count.
        return .version(
            ReviewTarget(shotID: request.shotID, version: number), current: ReviewStatus(rawValue: row[0]) ?? .pending,
            stages: StoredStages.names(row[2]), render: RenderStatus(jobItemState: row[1]))
    }

    /// Undoes the reviewer's latest action that is not yet undone, as a new action that logs
    /// what `judge` decides for each of its versions (the log is append-only).
    func undoLastReview(reviewer: String, at clock: @autoclosure () -> Date, judge: (UndoCandidate) -> UndoVerdict) throws -> UndoResult {
        try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            guard let target = try Int64.fetchOne(
                db,
                sql: """
                    SELECT action_id FROM review_log r WHERE reviewer = ? AND undoes_action IS NULL
                    AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes_action = r.action_id)
                    ORDER BY action_id DESC LIMIT 1
                    """,
                arguments: [reviewer])
            else { return .nothingToUndo }
            let actionID = (try Int64.fetchOne(db, sql: "SELECT MAX(action_id) + 1 FROM review_log")) ?? 1
            let entries = try Row.fetchAll(
                db,
                sql: "SELECT shot_id, version, status, previous_status, stages, previous_stages FROM review_log WHERE action_id = ? ORDER BY id DESC",
                arguments: [target])
            var outcome = ReviewOutcome(actionID: actionID, changed: [], unchanged: [])
            for entry in entries {
                let shot = ReviewTarget(shotID: entry[0], version: entry[1])
                let row = try Row.fetchOne(
                    db, sql: "SELECT review, approved_stages FROM versions WHERE shot_id = ? AND number = ?", arguments: [shot.shotID, shot.version])
                let current = StatusAndStages(status: ReviewStatus(rawValue: row?[0] ?? "") ?? .pending, stages: StoredStages.names(row?[1]))
                let candidate = UndoCandidate(
                    target: shot, actionID: target,
                    setByAction: StatusAndStages(status: ReviewStatus(rawValue: entry[2]) ?? .pending, stages: StoredStages.names(entry[4])),
                    previous: StatusAndStages(status: ReviewStatus(rawValue: entry[3]) ?? .pending, stages: StoredStages.names(entry[5])),
                    current: current)
                switch judge(candidate) {
                case .leave:
                    outcome.unchanged.append(shot)
                case .restore(let restored, let note):
                    try log(
                        shot, ReviewStep(restoring: restored, from: current), note: note, reviewer: reviewer, at: now, actionID: actionID,
                        undoes: target, db)
                    try Self.withdrawNotes(of: target, on: shot, reviewer: reviewer, at: now, db)
                    outcome.changed.append(shot)
                }
            }
            return outcome.changed.isEmpty ? .superseded(actionID: target) : .undone(outcome)
        }
    }

    private func log(
        _ target: ReviewTarget, _ step: ReviewStep, note: String?, reviewer: String, at now: Date, actionID: Int64, undoes: Int64?,
        _ db: Database
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO review_log (action_id, shot_id, version, status, previous_status, note, reviewer, at, undoes_action, stage, stages,
                    previous_stages)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            actionID, target.shotID, target.version, step.status.rawValue, step.previous.rawValue, note, reviewer, now, undoes, step.stage,
            StoredStages.text(step.stages), StoredStages.text(step.previousStages),
        ])
        try db.cachedStatement(
            sql: "UPDATE versions SET review = ?, review_note = ?, reviewer = ?, reviewed_at = ?, approved_stages = ? WHERE shot_id = ? AND number = ?"
        ).execute(arguments: [step.status.rawValue, note, reviewer, now, StoredStages.text(step.stages), target.shotID, target.version])
    }

    func reviewLog(of shotID: String) throws -> [ReviewEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_log WHERE shot_id = ? ORDER BY id", arguments: [shotID]).map { row in
                ReviewEntry(
                    id: row["id"], shotID: row["shot_id"], version: row["version"],
                    status: ReviewStatus(rawValue: row["status"]) ?? .pending,
                    previousStatus: ReviewStatus(rawValue: row["previous_status"]) ?? .pending, note: row["note"],
                    reviewer: row["reviewer"], at: row["at"], undoes: row["undoes_action"], actionID: row["action_id"], stage: row["stage"])
            }
        }
    }
}
