import Foundation
import GRDB

/// SQL text both databases accept and both stores use: a fragment, never a statement builder.
enum SharedSQL {
    /// A review log entry `r` that is a retake still counted: changes requested, not an undo,
    /// and not undone since (an undo logs an entry for that version). As `ReviewPolicy.retakes`.
    static let countedRetake = """
        r.status = 'changes_requested' AND r.undoes_action IS NULL \
        AND NOT EXISTS (SELECT 1 FROM review_log u WHERE u.shot_id = r.shot_id AND u.version = r.version AND u.undoes_action = r.action_id)
        """
    /// The render status of a version: rendered when an artifact exists for its hash (a row in
    /// `renders`, read through its hash index alone), else the state of its latest render job
    /// item, else not rendered.
    static let renderStatus = """
        CASE WHEN EXISTS (SELECT 1 FROM renders a WHERE a.hash = v.hash) THEN '\(RenderStatus.rendered.rawValue)'
        ELSE COALESCE((SELECT ji.state FROM job_items ji WHERE ji.shot_id = v.shot_id AND ji.version = v.number
                       ORDER BY ji.job_id DESC LIMIT 1), '\(RenderStatus.notRendered.rawValue)') END
        """
    /// The latest version number of shot `s`.
    static let latestNumber = "(SELECT MAX(m.number) FROM versions m WHERE m.shot_id = s.id)"
}

extension SQLiteStore {
    static let renderStatusSQL = SharedSQL.renderStatus
    static let latestNumberSQL = SharedSQL.latestNumber
    static let versionColumns = "v.*, l.json AS look_json, r.json AS rules_json, \(renderStatusSQL) AS render_status"
    static let versionJoins = "JOIN looks l ON l.id = v.look_id JOIN rule_sets r ON r.id = v.rule_set_id"

    /// Stores a plan's results in one transaction, each shot as the engine's `reconciliation`
    /// decides from the shot's stored versions (SPEC §5).
    func applyPlan(
        _ planned: PlanStream, batchID: String, preset: String?, files: PlanFiles, at clock: @autoclosure () -> Date,
        reconciliation: PlanReconciliation
    ) throws -> PlanSummary {
        defer { planned.cancel() }
        return try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            var reconciliation = reconciliation
            return try BulkWrite.withLargeCache(db) {
                var histories: [String: ShotPlanHistory] = [:]
                let wasPlanned = try Bool.fetchOne(db, sql: "SELECT planned_at IS NOT NULL FROM batches WHERE id = ?", arguments: [batchID]) ?? false
                if wasPlanned {
                    let cursor = try Row.fetchCursor(
                        db,
                        sql: """
                            SELECT v.shot_id, v.number, v.hash, v.origin FROM shots s JOIN versions v ON v.shot_id = s.id
                            WHERE s.batch_id = ? ORDER BY v.shot_id, v.number
                            """,
                        arguments: [batchID])
                    while let row = try cursor.next() {
                        let id: String = row[0]
                        histories[id] = ShotPlanHistory.adding(
                            histories[id], number: row[1], hash: row[2], origin: ShotVersion.Origin(rawValue: row[3]) ?? .plan)
                    }
                }
                var writer = try VersionWriter(db, at: now)
                while let chunk = try planned.next() {
                    for shot in chunk {
                        if case .store(let number, let parentHash) = reconciliation.decide(shot, history: histories[shot.shotID]) {
                            try writer.insert(VersionRow(shot, number: number, parentHash: parentHash))
                        }
                    }
                }
                try writer.flush()
                try db.execute(sql: "DELETE FROM batch_plan_files WHERE batch_id = ?", arguments: [batchID])
                for (path, file) in files.byPath {
                    try db.execute(sql: "INSERT OR IGNORE INTO plan_files (sha256, text) VALUES (?, ?)", arguments: [file.sha256, file.text])
                    try db.execute(
                        sql: "INSERT INTO batch_plan_files (batch_id, path, sha256) VALUES (?, ?, ?)", arguments: [batchID, path, file.sha256])
                }
                try db.execute(sql: "UPDATE batches SET preset = ?, planned_at = ? WHERE id = ?", arguments: [preset, now, batchID])
                return reconciliation.summary
            }
        }
    }

    /// Stores a version patched outside any transaction (patching a hostile spec may take a
    /// while, and no writer may wait on it) as the shot's next version, and queues its render.
    /// `base` is the version it was patched from; when it was the latest (`baseWasLatest`), a
    /// version added since means the patch must be applied again to the new latest:
    /// `.baseMoved` then, and nothing is stored.
    func insertPatchedVersion(
        _ patched: PatchedSpec, base: ShotVersion, baseWasLatest: Bool, at clock: @autoclosure () -> Date
    ) throws -> PatchedInsert {
        let stored = try StoredSpec(patched.hashed.spec)
        return try write { db in
            // The time is taken under the write lock, so timestamps follow commit order.
            let now = clock()
            guard let latest = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM versions WHERE shot_id = ?", arguments: [base.shotID]) else {
                throw MissingRecord.shot(base.shotID)
            }
            if baseWasLatest && latest != base.number { return .baseMoved }
            let number = latest + 1
            var writer = try VersionWriter(db, at: now)
            try writer.insert(VersionRow(
                shotID: base.shotID, number: number, hash: patched.hashed.hash, parentHash: base.hash, seed: patched.hashed.seed,
                identity: stored.identity, look: stored.look, rulesApplied: SharedJSON(json: AppliedRule.json(patched.rulesApplied)),
                origin: patched.origin))
            try writer.flush()
            let jobID = try enqueueRender([(base.shotID, number, patched.hashed.hash)], reason: "re-render of \(base.shotID) v\(number)", at: now, db)
            return .inserted(number: number, jobID: jobID)
        }
    }

    func insertShot(_ shot: NewShot, at clock: @autoclosure () -> Date) throws -> NewShotInsert {
        let stored = try StoredSpec(shot.hashed.spec)
        return try write { db in
            let now = clock()
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shots WHERE id = ?)", arguments: [shot.id]) == true { return .taken }
            // After every shot of the batch: past its file's rows, so no source row is read for it.
            let ordinal = try Int.fetchOne(
                db, sql: "SELECT MAX(COALESCE(MAX(ordinal) + 1, 0), (SELECT row_count FROM batches WHERE id = ?)) FROM shots WHERE batch_id = ?",
                arguments: [shot.batchID, shot.batchID]) ?? 0
            try db.execute(
                sql: "INSERT INTO shots (id, batch_id, ordinal, line, subject) VALUES (?, ?, ?, 0, ?)",
                arguments: [shot.id, shot.batchID, ordinal, shot.subject])
            var writer = try VersionWriter(db, at: now)
            try writer.insert(VersionRow(
                shotID: shot.id, number: 1, hash: shot.hashed.hash, parentHash: nil, seed: shot.hashed.seed, identity: stored.identity,
                look: stored.look, rulesApplied: SharedJSON(json: AppliedRule.json(shot.rulesApplied)), origin: shot.origin))
            try writer.flush()
            return .inserted(jobID: try enqueueRender([(shot.id, 1, shot.hashed.hash)], reason: "render of the new shot \(shot.id)", at: now, db))
        }
    }

    /// A planned shot (one with versions), or nil.
    func shot(_ id: String) throws -> Shot? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT s.*, \(Self.latestNumberSQL) AS latest_version FROM shots s WHERE s.id = ?", arguments: [id]
            ).flatMap { row in (row["latest_version"] as Int?) == nil ? nil : Self.shot(row) }
        }
    }

    /// Whether the id was ingested, planned or not.
    func shotIsRegistered(_ id: String) throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM shots WHERE id = ?)", arguments: [id]) ?? false }
    }

    func versions(of shotID: String) throws -> [ShotVersion] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.versionColumns) FROM versions v \(Self.versionJoins) WHERE v.shot_id = ? ORDER BY v.number",
                arguments: [shotID]
            ).map { try Self.version($0, db) }
        }
    }

    func version(of shotID: String, number: Int) throws -> ShotVersion? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(Self.versionColumns) FROM versions v \(Self.versionJoins) WHERE v.shot_id = ? AND v.number = ?",
                arguments: [shotID, number]
            ).map { try Self.version($0, db) }
        }
    }

    /// The batch table: each planned shot with its latest version's state, in batch and file order.
    func shotSummaries(batchID: String?) throws -> [ShotSummary] {
        try read { db in
            var sql = """
                SELECT s.*, v.number AS latest_version, v.hash, v.review, v.approved_stages, \(Self.renderStatusSQL) AS render_status
                FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = \(Self.latestNumberSQL)
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
                    review: ReviewStatus(rawValue: row["review"]) ?? .pending, approvedStages: StoredStages.names(row["approved_stages"]))
            }
        }
    }

    static func shot(_ row: Row) -> Shot {
        Shot(id: row["id"], batchID: row["batch_id"], sourceLine: row["line"], subject: row["subject"], latestVersion: row["latest_version"])
    }

    static func version(_ row: Row, _ db: Database) throws -> ShotVersion {
        let identity: JSONObject
        if let stored = row["identity"] as String? {
            identity = try JSONParser.parse(stored, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
        } else {
            identity = try identityFromSource(row["shot_id"], db)
        }
        let look = try JSONParser.parse(row["look_json"] as String, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
        let seed = UInt32(truncatingIfNeeded: row["seed"] as Int64)
        let rules = try JSONParser.parse(row["rules_json"] as String).arrayValue?.compactMap(AppliedRule.init(json:)) ?? []
        return ShotVersion(
            shotID: row["shot_id"], number: row["number"], hash: row["hash"], parentHash: row["parent_hash"],
            seed: seed, spec: SpecParts.join(identity: identity, look: look, seed: seed), rulesApplied: rules,
            origin: ShotVersion.Origin(rawValue: row["origin"]) ?? .plan, createdAt: row["created_at"],
            renderStatus: RenderStatus(jobItemState: row["render_status"]),
            review: ReviewStatus(rawValue: row["review"]) ?? .pending, reviewNote: row["review_note"],
            reviewer: row["reviewer"], reviewedAt: row["reviewed_at"], approvedStages: StoredStages.names(row["approved_stages"]))
    }
}

extension RenderStatus {
    /// Job items record finer states (done, cached) than a version shows.
    init(jobItemState: String) {
        switch jobItemState {
        case RenderStatus.rendered.rawValue, JobItem.State.done.rawValue, JobItem.State.cached.rawValue: self = .rendered
        default: self = RenderStatus(rawValue: jobItemState) ?? .notRendered
        }
    }
}

extension SQLiteStore {
    /// The identity of a planned version that did not store one: what its source row gives.
    static func identityFromSource(_ shotID: String, _ db: Database) throws -> JSONObject {
        guard let row = try Row.fetchOne(db, sql: "SELECT batch_id, ordinal FROM shots WHERE id = ?", arguments: [shotID]) else {
            throw StoredRowError(batchID: "?", line: nil)
        }
        var identities = SourceIdentities(db: db)
        return try identities.identity(batchID: row[0], ordinal: row[1])
    }
}
