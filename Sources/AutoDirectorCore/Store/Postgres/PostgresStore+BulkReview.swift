import Foundation
import PostgresNIO

/// A review action over many versions in a few statements over arrays, however many shots:
/// one query reads every candidate, the engine's policy judges each in memory, and the changes
/// are written with one INSERT into the log, one UPDATE of the versions and, for a retake, one
/// INSERT of its notes. Statement by statement, 50k shots took a minute of round trips.
extension PostgresStore {
    /// The candidates of `requests`, in their order (`version` nil: the latest).
    static func reviewCandidates(_ requests: [ReviewRequest], _ tx: PostgresTransaction) throws -> [ReviewCandidate] {
        guard !requests.isEmpty else { return [] }
        // -1 stands for "the latest": arrays of optional numbers do not bind.
        let ids = requests.map(\.shotID), wanted = requests.map { Int64($0.version ?? -1) }
        let rows = try tx.rows("""
            SELECT u.ord, latest.number, v.number, v.review, v.approved_stages, \(unescaped: SharedSQL.renderStatus)
            FROM unnest(\(ids)::text[], \(wanted)::bigint[]) WITH ORDINALITY AS u(id, wanted, ord)
            LEFT JOIN LATERAL (SELECT MAX(m.number) AS number FROM versions m WHERE m.shot_id = u.id) latest ON true
            LEFT JOIN versions v ON v.shot_id = u.id AND v.number = COALESCE(NULLIF(u.wanted, -1), latest.number)
            ORDER BY u.ord
            """)
        return try rows.map { row in
            let request = requests[Int(try row.at(0, as: Int64.self)) - 1]
            guard let latest = try row.at(1, as: Int64?.self) else { return .noShot(request.shotID) }
            let number = request.version ?? Int(latest)
            guard try row.at(2, as: Int64?.self) != nil else { return .noVersion(request.shotID, number) }
            return .version(
                ReviewTarget(shotID: request.shotID, version: number), current: ReviewStatus(rawValue: try row.string(3)) ?? .pending,
                stages: StoredStages.names(try row.string(4)), render: RenderStatus(jobItemState: try row.string(5)))
        }
    }

    /// Logs `steps` as one action and sets each version's status and stages; with `opening`,
    /// writes that note on each version (a retake's).
    static func logAll(
        _ steps: [(target: ReviewTarget, step: ReviewStep)], note: String?, opening: NoteToOpen?, reviewer: String, at now: String,
        actionID: Int64, _ tx: PostgresTransaction
    ) throws {
        guard !steps.isEmpty else { return }
        let shots = steps.map(\.target.shotID), versions = steps.map { Int64($0.target.version) }
        let statuses = steps.map(\.step.status.rawValue), previous = steps.map(\.step.previous.rawValue)
        let stages = steps.map { StoredStages.text($0.step.stages) }, previousStages = steps.map { StoredStages.text($0.step.previousStages) }
        let stage = steps[0].step.stage
        // Ids follow the order given, as one entry at a time would number them.
        try tx.execute("""
            INSERT INTO review_log (action_id, shot_id, version, status, previous_status, note, reviewer, at, undoes_action, stage, stages,
                previous_stages)
            SELECT \(actionID), c.shot_id, c.version, c.status, c.previous, \(note), \(reviewer), \(now), NULL, \(stage), c.stages, c.previous_stages
            FROM unnest(\(shots)::text[], \(versions)::bigint[], \(statuses)::text[], \(previous)::text[], \(stages)::text[],
                \(previousStages)::text[]) WITH ORDINALITY AS c(shot_id, version, status, previous, stages, previous_stages, ord)
            ORDER BY c.ord
            """)
        try tx.execute("""
            UPDATE versions v SET review = c.status, review_note = \(note), reviewer = \(reviewer), reviewed_at = \(now), approved_stages = c.stages
            FROM unnest(\(shots)::text[], \(versions)::bigint[], \(statuses)::text[], \(stages)::text[]) AS c(shot_id, version, status, stages)
            WHERE v.shot_id = c.shot_id AND v.number = c.version
            """)
        guard let opening else { return }
        let pin = opening.pin
        try tx.execute("""
            INSERT INTO notes (shot_id, version, parent_id, author, body, pin_x, pin_y, pin_w, pin_h, action_id, state, created_at)
            SELECT c.shot_id, c.version, NULL, \(reviewer), \(opening.body), \(pin?.x), \(pin?.y), \(pin?.size?.width), \(pin?.size?.height),
                \(actionID), \(Note.State.open.rawValue), \(now)
            FROM unnest(\(shots)::text[], \(versions)::bigint[]) WITH ORDINALITY AS c(shot_id, version, ord)
            ORDER BY c.ord
            """)
    }
}
