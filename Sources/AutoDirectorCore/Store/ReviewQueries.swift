import Foundation
import GRDB

/// One requested review change, before it is checked and stored.
struct ReviewRequest {
    var shotID: String
    var version: Int?
}

/// The outcome of one review action over one or more shots.
public struct ReviewOutcome: Sendable, Equatable {
    public var actionID: Int64?
    /// (shot, version) pairs whose status changed.
    public var changed: [ReviewTarget]
    /// Pairs that already had the requested status: nothing was logged for them.
    public var unchanged: [ReviewTarget]
}

public struct ReviewTarget: Sendable, Equatable, Codable {
    public var shotID: String
    public var version: Int
}

extension ProjectStore {
    /// Applies one review action to every requested version in a single transaction: either all
    /// of them are checked and logged, or (on any refusal) none is (SPEC §8).
    func review(
        _ requests: [ReviewRequest], status: ReviewStatus, note: String?, reviewer: String, at clock: @autoclosure () -> Date
    ) throws -> ReviewOutcome {
        try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            let actionID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(action_id), 0) + 1 FROM review_log")) ?? 1
            var outcome = ReviewOutcome(actionID: nil, changed: [], unchanged: [])
            var refusals: [String] = []
            var seen = Set<String>()
            for request in requests {
                // A shot named twice in one action is reviewed once.
                guard seen.insert("\(request.shotID)\u{0}\(request.version.map(String.init) ?? "")").inserted else { continue }
                guard let latest = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM versions WHERE shot_id = ?", arguments: [request.shotID]) else {
                    refusals.append(EngineError.unknownShot(request.shotID).description)
                    continue
                }
                let number = request.version ?? latest
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT v.hash, v.review, \(Self.renderStatusSQL) AS render_status FROM versions v WHERE v.shot_id = ? AND v.number = ?",
                    arguments: [request.shotID, number])
                else {
                    refusals.append(EngineError.unknownVersion(request.shotID, number).description)
                    continue
                }
                let previous = ReviewStatus(rawValue: row["review"]) ?? .pending
                let render = RenderStatus(jobItemState: row["render_status"])
                if status == .approved && render != .rendered {
                    refusals.append(EngineError.notRendered(request.shotID, number, render).description)
                    continue
                }
                let target = ReviewTarget(shotID: request.shotID, version: number)
                if previous == status && status != .rejected {
                    outcome.unchanged.append(target)
                    continue
                }
                try log(target, status: status, previous: previous, note: note, reviewer: reviewer, at: now, actionID: actionID, undoes: nil, db)
                outcome.changed.append(target)
            }
            if !refusals.isEmpty { throw EngineError.reviewRefused(refusals) }
            if !outcome.changed.isEmpty { outcome.actionID = actionID }
            return outcome
        }
    }

    /// Undoes the reviewer's latest action that is not yet undone, as a new action restoring
    /// each version's previous status (the log is append-only). A version whose status has
    /// changed since (someone else reviewed it) is left alone and reported as unchanged, so undo
    /// never overwrites another action.
    func undoLastReview(reviewer: String, at clock: @autoclosure () -> Date) throws -> ReviewOutcome {
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
            else { throw EngineError.nothingToUndo(reviewer) }
            let actionID = (try Int64.fetchOne(db, sql: "SELECT MAX(action_id) + 1 FROM review_log")) ?? 1
            let entries = try Row.fetchAll(
                db, sql: "SELECT shot_id, version, status, previous_status FROM review_log WHERE action_id = ? ORDER BY id DESC", arguments: [target])
            var outcome = ReviewOutcome(actionID: actionID, changed: [], unchanged: [])
            for entry in entries {
                let shot = ReviewTarget(shotID: entry[0], version: entry[1])
                let current = ReviewStatus(rawValue: try String.fetchOne(
                    db, sql: "SELECT review FROM versions WHERE shot_id = ? AND number = ?", arguments: [shot.shotID, shot.version]) ?? "") ?? .pending
                let setByAction = ReviewStatus(rawValue: entry[2]) ?? .pending
                let restored = ReviewStatus(rawValue: entry[3]) ?? .pending
                if current != setByAction {
                    outcome.unchanged.append(shot)
                    continue
                }
                try log(shot, status: restored, previous: current, note: "undo of review action \(target)", reviewer: reviewer, at: now,
                        actionID: actionID, undoes: target, db)
                outcome.changed.append(shot)
            }
            if outcome.changed.isEmpty { throw EngineError.undoSuperseded(target) }
            return outcome
        }
    }

    private func log(
        _ target: ReviewTarget, status: ReviewStatus, previous: ReviewStatus, note: String?, reviewer: String, at now: Date,
        actionID: Int64, undoes: Int64?, _ db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO review_log (action_id, shot_id, version, status, previous_status, note, reviewer, at, undoes_action)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [actionID, target.shotID, target.version, status.rawValue, previous.rawValue, note, reviewer, now, undoes])
        try db.execute(
            sql: "UPDATE versions SET review = ?, review_note = ?, reviewer = ?, reviewed_at = ? WHERE shot_id = ? AND number = ?",
            arguments: [status.rawValue, note, reviewer, now, target.shotID, target.version])
    }

    func reviewLog(of shotID: String) throws -> [ReviewEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_log WHERE shot_id = ? ORDER BY id", arguments: [shotID]).map { row in
                ReviewEntry(
                    id: row["id"], shotID: row["shot_id"], version: row["version"],
                    status: ReviewStatus(rawValue: row["status"]) ?? .pending,
                    previousStatus: ReviewStatus(rawValue: row["previous_status"]) ?? .pending, note: row["note"],
                    reviewer: row["reviewer"], at: row["at"], undoes: row["undoes_action"])
            }
        }
    }
}
