import Foundation
import PostgresNIO

extension PostgresStore {
    func review(
        _ requests: [ReviewRequest], stage: String?, note: String?, opening: NoteToOpen?, reviewer: String,
        at clock: @autoclosure () -> Date, judge: (ReviewCandidate) -> ReviewVerdict
    ) throws -> ReviewOutcome {
        let outcome = try write { tx in
            let now = StoredDate.text(clock())
            // Writers take turns (PostgresSession.write), so the next action id is this one's.
            let actionID = try tx.one("SELECT COALESCE(MAX(action_id), 0) + 1 FROM review_log", as: Int64.self) ?? 1
            var outcome = ReviewOutcome(actionID: nil, changed: [], unchanged: [])
            var refusals: [EngineError] = []
            var seen = Set<String>()
            // A shot named twice in one action is reviewed once.
            let unique = requests.filter { seen.insert("\($0.shotID)\u{0}\($0.version.map(String.init) ?? "")").inserted }
            var steps: [(target: ReviewTarget, step: ReviewStep)] = []
            for candidate in try Self.reviewCandidates(unique, tx) {
                switch judge(candidate) {
                case .refused(let reason):
                    refusals.append(reason)
                case .unchanged:
                    if case .version(let target, _, _, _) = candidate { outcome.unchanged.append(target) }
                case .change(let status, let stages):
                    guard case .version(let target, let current, let currentStages, _) = candidate else { continue }
                    steps.append((target, ReviewStep(status: status, previous: current, stage: stage, stages: stages, previousStages: currentStages)))
                    outcome.changed.append(target)
                }
            }
            if !refusals.isEmpty { throw ReviewRefusal(reasons: refusals) }
            try Self.logAll(steps, note: note, opening: opening, reviewer: reviewer, at: now, actionID: actionID, tx)
            if !outcome.changed.isEmpty { outcome.actionID = actionID }
            return outcome
        }
        // A bulk decision changes the statuses filters count faster than autovacuum looks; as
        // for a big render job, fresh statistics keep the next filter's plan right.
        if outcome.changed.count >= Self.analyzeAfterItems { _ = try? session.writeOutsideTurn { tx in try tx.execute("ANALYZE versions") } }
        return outcome
    }

    func undoLastReview(reviewer: String, at clock: @autoclosure () -> Date, judge: (UndoCandidate) -> UndoVerdict) throws -> UndoResult {
        try write { tx in
            let now = StoredDate.text(clock())
            guard let target = try tx.one("""
                SELECT action_id FROM review_log r WHERE reviewer = \(reviewer) AND undoes_action IS NULL
                AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.undoes_action = r.action_id)
                ORDER BY action_id DESC LIMIT 1
                """, as: Int64.self)
            else { return .nothingToUndo }
            let actionID = try tx.one("SELECT MAX(action_id) + 1 FROM review_log", as: Int64.self) ?? 1
            let entries = try tx.rows(
                "SELECT shot_id, version, status, previous_status, stages, previous_stages FROM review_log WHERE action_id = \(target) ORDER BY id DESC")
            var outcome = ReviewOutcome(actionID: actionID, changed: [], unchanged: [])
            for entry in entries {
                let shot = ReviewTarget(shotID: try entry.string(0), version: try entry.int(1))
                let row = try tx.rows(
                    "SELECT review, approved_stages FROM versions WHERE shot_id = \(shot.shotID) AND number = \(Int64(shot.version))").first
                let current = StatusAndStages(
                    status: ReviewStatus(rawValue: try row?.string(0) ?? "") ?? .pending, stages: StoredStages.names(try row?.string(1)))
                let candidate = UndoCandidate(
                    target: shot, actionID: target,
                    setByAction: StatusAndStages(
                        status: ReviewStatus(rawValue: try entry.string(2)) ?? .pending, stages: StoredStages.names(try entry.string(4))),
                    previous: StatusAndStages(
                        status: ReviewStatus(rawValue: try entry.string(3)) ?? .pending, stages: StoredStages.names(try entry.string(5))),
                    current: current)
                switch judge(candidate) {
                case .leave:
                    outcome.unchanged.append(shot)
                case .restore(let restored, let note):
                    try Self.log(
                        shot, ReviewStep(restoring: restored, from: current), note: note, reviewer: reviewer, at: now, actionID: actionID,
                        undoes: target, tx)
                    try Self.withdrawNotes(of: target, on: shot, reviewer: reviewer, at: now, tx)
                    outcome.changed.append(shot)
                }
            }
            return outcome.changed.isEmpty ? .superseded(actionID: target) : .undone(outcome)
        }
    }

    private static func log(
        _ target: ReviewTarget, _ step: ReviewStep, note: String?, reviewer: String, at now: String, actionID: Int64, undoes: Int64?,
        _ tx: PostgresTransaction
    ) throws {
        let stages = StoredStages.text(step.stages)
        try tx.execute("""
            INSERT INTO review_log (action_id, shot_id, version, status, previous_status, note, reviewer, at, undoes_action, stage, stages,
                previous_stages)
            VALUES (\(actionID), \(target.shotID), \(Int64(target.version)), \(step.status.rawValue), \(step.previous.rawValue), \(note),
                \(reviewer), \(now), \(undoes), \(step.stage), \(stages), \(StoredStages.text(step.previousStages)))
            """)
        try tx.execute("""
            UPDATE versions SET review = \(step.status.rawValue), review_note = \(note), reviewer = \(reviewer), reviewed_at = \(now),
                approved_stages = \(stages)
            WHERE shot_id = \(target.shotID) AND number = \(Int64(target.version))
            """)
    }

    func reviewLog(of shotID: String) throws -> [ReviewEntry] {
        try read { tx in
            try tx.rows("""
                SELECT id, shot_id, version, status, previous_status, note, reviewer, at, undoes_action, action_id, stage
                FROM review_log WHERE shot_id = \(shotID) ORDER BY id
                """
            ).map { row in
                ReviewEntry(
                    id: try row.at(0, as: Int64.self), shotID: try row.string(1), version: try row.int(2),
                    status: ReviewStatus(rawValue: try row.string(3)) ?? .pending,
                    previousStatus: ReviewStatus(rawValue: try row.string(4)) ?? .pending, note: try row.optionalString(5),
                    reviewer: try row.string(6), at: try row.date(7), undoes: try row.at(8, as: Int64?.self),
                    actionID: try row.at(9, as: Int64.self), stage: try row.optionalString(10))
            }
        }
    }
}
