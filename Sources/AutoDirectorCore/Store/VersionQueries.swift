import Foundation
import GRDB

/// What a plan did to a batch.
public struct PlanSummary: Sendable, Equatable, Codable {
    public var batchID: String
    public var shots: Int
    /// Shots planned for the first time (version 1).
    public var created: Int
    /// Shots whose planned spec changed: a new version each.
    public var updated: Int
    public var unchanged: Int
}

extension ProjectStore {
    /// The render status of a version: rendered when an artifact exists for its hash, else the
    /// state of its latest render job item, else not rendered.
    static let renderStatusSQL = """
        CASE WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.hash = v.hash) THEN 'rendered'
        ELSE COALESCE((SELECT ji.state FROM job_items ji WHERE ji.shot_id = v.shot_id AND ji.version = v.number
                       ORDER BY ji.job_id DESC LIMIT 1), 'not_rendered') END
        """

    /// Stores a plan's results in one transaction: version 1 for new shots, a new version for
    /// shots whose planned spec changed, nothing for the rest (SPEC §5).
    func applyPlan(_ planned: [PlannedShot], batchID: String, preset: String?, at now: Date) throws -> PlanSummary {
        try write { db in
            var existing: [String: (latest: Int, plannedHash: String, latestHash: String)] = [:]
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT s.id, s.latest_version, s.planned_hash, v.hash FROM shots s
                    JOIN versions v ON v.shot_id = s.id AND v.number = s.latest_version WHERE s.batch_id = ?
                    """,
                arguments: [batchID])
            while let row = try cursor.next() { existing[row[0]] = (row[1], row[2], row[3]) }

            let insertShot = try db.cachedStatement(
                sql: "INSERT INTO shots (id, batch_id, ordinal, line, subject, latest_version, planned_hash) VALUES (?, ?, ?, ?, ?, 1, ?)")
            let updateShot = try db.cachedStatement(sql: "UPDATE shots SET latest_version = ?, planned_hash = ? WHERE id = ?")
            var summary = PlanSummary(batchID: batchID, shots: planned.count, created: 0, updated: 0, unchanged: 0)
            for (ordinal, shot) in planned.enumerated() {
                if let current = existing[shot.shotID] {
                    if current.plannedHash == shot.hashed.hash {
                        summary.unchanged += 1
                        continue
                    }
                    let number = current.latest + 1
                    try insertVersion(shot, number: number, parentHash: current.latestHash, at: now, db)
                    try updateShot.execute(arguments: [number, shot.hashed.hash, shot.shotID])
                    summary.updated += 1
                } else {
                    try insertShot.execute(arguments: [shot.shotID, batchID, ordinal, shot.line, shot.subject, shot.hashed.hash])
                    try insertVersion(shot, number: 1, parentHash: nil, at: now, db)
                    summary.created += 1
                }
            }
            try db.execute(sql: "UPDATE batches SET preset = ?, planned_at = ? WHERE id = ?", arguments: [preset, now, batchID])
            return summary
        }
    }

    private func insertVersion(_ shot: PlannedShot, number: Int, parentHash: String?, at now: Date, _ db: Database) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO versions (shot_id, number, hash, parent_hash, seed, spec, rules_applied, origin, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try insert.execute(arguments: [
            shot.shotID, number, shot.hashed.hash, parentHash, Int64(shot.hashed.seed),
            String(decoding: shot.hashed.canonical, as: UTF8.self),
            JSONWriter.compact(.array(shot.rulesApplied.map(\.json))), shot.origin.rawValue, now,
        ])
    }

    /// Stores a patched version as the shot's next version, and queues its render, in one
    /// transaction. Returns the new version number and the render job id.
    func insertPatchedVersion(
        shotID: String, hashed: HashedSpec, parentHash: String, rulesApplied: [AppliedRule], at now: Date
    ) throws -> (number: Int, jobID: Int64) {
        try write { db in
            guard let latest = try Int.fetchOne(db, sql: "SELECT latest_version FROM shots WHERE id = ?", arguments: [shotID]) else {
                throw EngineError.unknownShot(shotID)
            }
            let number = latest + 1
            let planned = PlannedShot(
                shotID: shotID, subject: "", line: 0, hashed: hashed, rulesApplied: rulesApplied, origin: .patch)
            try insertVersion(planned, number: number, parentHash: parentHash, at: now, db)
            try db.execute(sql: "UPDATE shots SET latest_version = ? WHERE id = ?", arguments: [number, shotID])
            let jobID = try enqueueRender([(shotID, number, hashed.hash)], reason: "re-render of \(shotID) v\(number)", at: now, db)
            return (number, jobID)
        }
    }

    func shot(_ id: String) throws -> Shot? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM shots WHERE id = ?", arguments: [id]).map(Self.shot)
        }
    }

    func versions(of shotID: String) throws -> [ShotVersion] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT v.*, \(Self.renderStatusSQL) AS render_status FROM versions v WHERE v.shot_id = ? ORDER BY v.number",
                arguments: [shotID]
            ).map(Self.version)
        }
    }

    func version(of shotID: String, number: Int) throws -> ShotVersion? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT v.*, \(Self.renderStatusSQL) AS render_status FROM versions v WHERE v.shot_id = ? AND v.number = ?",
                arguments: [shotID, number]
            ).map(Self.version)
        }
    }

    /// The batch table: each shot with its latest version's state, in batch and file order.
    func shotSummaries(batchID: String?) throws -> [ShotSummary] {
        try read { db in
            var sql = """
                SELECT s.*, v.hash, v.review, \(Self.renderStatusSQL) AS render_status
                FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = s.latest_version
                """
            var arguments: StatementArguments = []
            if let batchID {
                sql += " WHERE s.batch_id = ?"
                arguments = [batchID]
            }
            sql += " ORDER BY s.batch_id, s.ordinal"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                ShotSummary(
                    shot: Self.shot(row), hash: row["hash"],
                    renderStatus: RenderStatus(jobItemState: row["render_status"]),
                    review: ReviewStatus(rawValue: row["review"]) ?? .pending)
            }
        }
    }

    static func shot(_ row: Row) -> Shot {
        Shot(id: row["id"], batchID: row["batch_id"], sourceLine: row["line"], subject: row["subject"], latestVersion: row["latest_version"])
    }

    static func version(_ row: Row) throws -> ShotVersion {
        let spec = SpecLayout.readable(try JSONParser.parse(row["spec"] as String).objectValue ?? JSONObject())
        let rules = try JSONParser.parse(row["rules_applied"] as String).arrayValue?.compactMap(AppliedRule.init(json:)) ?? []
        return ShotVersion(
            shotID: row["shot_id"], number: row["number"], hash: row["hash"], parentHash: row["parent_hash"],
            seed: UInt32(truncatingIfNeeded: row["seed"] as Int64), spec: spec, rulesApplied: rules,
            origin: ShotVersion.Origin(rawValue: row["origin"]) ?? .plan, createdAt: row["created_at"],
            renderStatus: RenderStatus(jobItemState: row["render_status"]),
            review: ReviewStatus(rawValue: row["review"]) ?? .pending, reviewNote: row["review_note"],
            reviewer: row["reviewer"], reviewedAt: row["reviewed_at"])
    }
}

extension RenderStatus {
    /// Job items record finer states (done, cached) than a version shows.
    init(jobItemState: String) {
        switch jobItemState {
        case "rendered", "done", "cached": self = .rendered
        default: self = RenderStatus(rawValue: jobItemState) ?? .notRendered
        }
    }
}
