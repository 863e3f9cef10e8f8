import Foundation
import PostgresNIO

extension PostgresStore {
    func applyPlan(
        _ planned: PlanStream, batchID: String, preset: String?, files: PlanFiles, at clock: @autoclosure () -> Date,
        reconciliation: PlanReconciliation
    ) throws -> PlanSummary {
        defer { planned.cancel() }
        return try write { tx in
            let now = StoredDate.text(clock())
            var reconciliation = reconciliation
            var histories: [String: ShotPlanHistory] = [:]
            if try tx.one("SELECT planned_at IS NOT NULL FROM batches WHERE id = \(batchID)", as: Bool.self) == true {
                for row in try tx.rows("""
                    SELECT v.shot_id, v.number, v.hash, v.origin FROM shots s JOIN versions v ON v.shot_id = s.id
                    WHERE s.batch_id = \(batchID) ORDER BY v.shot_id, v.number
                    """)
                {
                    let id = try row.string(0)
                    histories[id] = ShotPlanHistory.adding(
                        histories[id], number: try row.int(1), hash: try row.string(2),
                        origin: ShotVersion.Origin(rawValue: try row.string(3)) ?? .plan)
                }
            }
            var writer = PostgresVersionWriter(tx, createdAt: now)
            while let chunk = try planned.next() {
                for shot in chunk {
                    if case .store(let number, let parentHash) = reconciliation.decide(shot, history: histories[shot.shotID]) {
                        try writer.insert(VersionRow(shot, number: number, parentHash: parentHash))
                    }
                }
            }
            try writer.flush()
            try tx.execute("DELETE FROM batch_plan_files WHERE batch_id = \(batchID)")
            for (path, file) in files.byPath {
                try tx.execute("INSERT INTO plan_files (sha256, text) VALUES (\(file.sha256), \(file.text)) ON CONFLICT DO NOTHING")
                try tx.execute("INSERT INTO batch_plan_files (batch_id, path, sha256) VALUES (\(batchID), \(path), \(file.sha256))")
            }
            try tx.execute("UPDATE batches SET preset = \(preset), planned_at = \(now) WHERE id = \(batchID)")
            return reconciliation.summary
        }
    }

    func insertPatchedVersion(
        _ patched: PatchedSpec, base: ShotVersion, baseWasLatest: Bool, at clock: @autoclosure () -> Date
    ) throws -> PatchedInsert {
        let stored = try StoredSpec(patched.hashed.spec)
        return try write { tx in
            let now = clock()
            guard let latest = try tx.one("SELECT MAX(number) FROM versions WHERE shot_id = \(base.shotID)", as: Int64?.self) ?? nil else {
                throw MissingRecord.shot(base.shotID)
            }
            if baseWasLatest && Int(latest) != base.number { return .baseMoved }
            let number = Int(latest) + 1
            var writer = PostgresVersionWriter(tx, createdAt: StoredDate.text(now))
            try writer.insert(VersionRow(
                shotID: base.shotID, number: number, hash: patched.hashed.hash, parentHash: base.hash, seed: patched.hashed.seed,
                identity: stored.identity, look: stored.look, rulesApplied: SharedJSON(json: AppliedRule.json(patched.rulesApplied)),
                origin: patched.origin))
            try writer.flush()
            let jobID = try Self.enqueueRender(
                [(base.shotID, number, patched.hashed.hash)], reason: "re-render of \(base.shotID) v\(number)", force: false, at: now, tx)
            return .inserted(number: number, jobID: jobID)
        }
    }

    func insertShot(_ shot: NewShot, at clock: @autoclosure () -> Date) throws -> NewShotInsert {
        let stored = try StoredSpec(shot.hashed.spec)
        return try write { tx in
            let now = clock()
            if try tx.one("SELECT EXISTS (SELECT 1 FROM shots WHERE id = \(shot.id))", as: Bool.self) == true { return .taken }
            // The batch's row is locked: two new shots of one batch take their ordinals in turn.
            // (The engine checked the batch; the shot's foreign key refuses one that is not there.)
            let rows = try tx.one("SELECT row_count FROM batches WHERE id = \(shot.batchID) FOR UPDATE", as: Int64.self) ?? 0
            let next = try tx.one("SELECT MAX(ordinal) + 1 FROM shots WHERE batch_id = \(shot.batchID)", as: Int64?.self) ?? nil
            let ordinal = max(next ?? 0, rows)
            try tx.execute("INSERT INTO shots (id, batch_id, ordinal, line, subject) VALUES (\(shot.id), \(shot.batchID), \(ordinal), 0, \(shot.subject))")
            var writer = PostgresVersionWriter(tx, createdAt: StoredDate.text(now))
            try writer.insert(VersionRow(
                shotID: shot.id, number: 1, hash: shot.hashed.hash, parentHash: nil, seed: shot.hashed.seed, identity: stored.identity,
                look: stored.look, rulesApplied: SharedJSON(json: AppliedRule.json(shot.rulesApplied)), origin: shot.origin))
            try writer.flush()
            return .inserted(jobID: try Self.enqueueRender(
                [(shot.id, 1, shot.hashed.hash)], reason: "render of the new shot \(shot.id)", force: false, at: now, tx))
        }
    }

    /// Columns of a version with its look, reasons and render status (see `version(_:_:)`).
    static let versionSelect = """
        SELECT v.shot_id, v.number, v.hash, v.parent_hash, v.seed, v.identity, v.origin, v.created_at, v.review, v.review_note,
            v.reviewer, v.reviewed_at, l.json, r.json, \(SharedSQL.renderStatus), v.approved_stages
        FROM versions v JOIN looks l ON l.id = v.look_id JOIN rule_sets r ON r.id = v.rule_set_id
        """

    static func version(_ row: PostgresRow, _ tx: PostgresTransaction) throws -> ShotVersion {
        let shotID = try row.string(0)
        let identity: JSONObject
        if let stored = try row.optionalString(5) {
            identity = try JSONParser.parse(stored, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
        } else {
            guard let shot = try tx.rows("SELECT batch_id, ordinal FROM shots WHERE id = \(shotID)").first else {
                throw StoredRowError(batchID: "?", line: nil)
            }
            var identities = sourceIdentities(tx)
            identity = try identities.identity(batchID: try shot.string(0), ordinal: try shot.int(1))
        }
        let look = try JSONParser.parse(try row.string(12), maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
        let seed = UInt32(truncatingIfNeeded: try row.at(4, as: Int64.self))
        let rules = try JSONParser.parse(try row.string(13)).arrayValue?.compactMap(AppliedRule.init(json:)) ?? []
        return ShotVersion(
            shotID: shotID, number: try row.int(1), hash: try row.string(2), parentHash: try row.optionalString(3),
            seed: seed, spec: SpecParts.join(identity: identity, look: look, seed: seed), rulesApplied: rules,
            origin: ShotVersion.Origin(rawValue: try row.string(6)) ?? .plan, createdAt: try row.date(7),
            renderStatus: RenderStatus(jobItemState: try row.string(14)),
            review: ReviewStatus(rawValue: try row.string(8)) ?? .pending, reviewNote: try row.optionalString(9),
            reviewer: try row.optionalString(10), reviewedAt: try row.optionalDate(11), approvedStages: StoredStages.names(try row.string(15)))
    }

    func versions(of shotID: String) throws -> [ShotVersion] {
        try read { tx in
            try tx.rows("\(unescaped: Self.versionSelect) WHERE v.shot_id = \(shotID) ORDER BY v.number").map { try Self.version($0, tx) }
        }
    }

    func version(of shotID: String, number: Int) throws -> ShotVersion? {
        try read { tx in
            try tx.rows("\(unescaped: Self.versionSelect) WHERE v.shot_id = \(shotID) AND v.number = \(Int64(number))").first.map {
                try Self.version($0, tx)
            }
        }
    }

    func latestVersions(batchID: String?, shotIDs: [String]?) throws -> [(shotID: String, version: Int, hash: String)] {
        try read { tx in
            let select = "SELECT s.id, v.number, v.hash FROM shots s JOIN versions v ON v.shot_id = s.id AND v.number = \(SharedSQL.latestNumber)"
            // NULL arguments select everything: one statement for every combination.
            let rows = try tx.rows("""
                \(unescaped: select) WHERE (\(batchID)::text IS NULL OR s.batch_id = \(batchID))
                AND (\(shotIDs)::text[] IS NULL OR s.id = ANY(\(shotIDs)))
                ORDER BY s.batch_id, s.ordinal
                """)
            return try rows.map { (try $0.string(0), try $0.int(1), try $0.string(2)) }
        }
    }

    func exportedVersions(batchID: String, allVersions: Bool) throws -> (shots: Int, versions: [ExportedVersion]) {
        try read { tx in
            let shots = try tx.one("SELECT COUNT(*) FROM shots WHERE batch_id = \(batchID)", as: Int64.self) ?? 0
            let which = allVersions ? "" : " AND v.number = \(SharedSQL.latestNumber)"
            let rows = try tx.rows("""
                SELECT v.shot_id, v.number, v.hash, v.seed, v.review, v.reviewer, v.review_note,
                    \(unescaped: SharedSQL.renderStatus), a.path, a.mime, a.image_sha256,
                    a.provider, a.provider_meta, a.compiled_prompt, a.created_at
                FROM shots s JOIN versions v ON v.shot_id = s.id\(unescaped: which)
                LEFT JOIN artifacts a ON a.hash = v.hash
                WHERE s.batch_id = \(batchID)
                ORDER BY s.ordinal, v.number
                """)
            let versions = try rows.map { row in
                ExportedVersion(
                    shotID: try row.string(0), number: try row.int(1), hash: try row.string(2),
                    seed: UInt32(truncatingIfNeeded: try row.at(3, as: Int64.self)),
                    renderStatus: RenderStatus(jobItemState: try row.string(7)),
                    review: ReviewStatus(rawValue: try row.string(4)) ?? .pending, reviewer: try row.optionalString(5),
                    note: try row.optionalString(6),
                    image: try row.optionalString(8).map {
                        ExportedImage(
                            path: $0, mime: try row.optionalString(9) ?? "image/png", sha256: try row.optionalString(10) ?? "",
                            provider: try row.optionalString(11) ?? "", providerMeta: try row.optionalString(12),
                            compiledPrompt: try row.optionalString(13), renderedAt: try row.optionalDate(14))
                    })
            }
            return (Int(shots), versions)
        }
    }

    func renderDurationMS(shotID: String, version: Int) throws -> Int? {
        try read { tx in
            try tx.one("""
                SELECT duration_ms FROM job_items WHERE shot_id = \(shotID) AND version = \(Int64(version))
                AND state = \(JobItem.State.done.rawValue) AND duration_ms IS NOT NULL ORDER BY id DESC LIMIT 1
                """, as: Int64.self).map(Int.init)
        }
    }
}

/// Inserts versions inside one transaction by COPY, storing each distinct look and list of
/// reasons once (see `VersionWriter`, its SQLite twin). Call `flush()` before the transaction ends.
struct PostgresVersionWriter {
    private let tx: PostgresTransaction
    private let createdAt: String
    private var rows = CopyText()
    private var looks = SharedIDs()
    private var ruleSets = SharedIDs()

    init(_ tx: PostgresTransaction, createdAt: String) {
        self.tx = tx
        self.createdAt = createdAt
    }

    mutating func insert(_ row: VersionRow) throws {
        let lookID = try Self.sharedID(row.look, table: "looks", memo: &looks, tx)
        let ruleSetID = try Self.sharedID(row.rulesApplied, table: "rule_sets", memo: &ruleSets, tx)
        rows.add(
            .text(row.shotID), .int(Int64(row.number)), .text(row.hash), row.parentHash.map { .text($0) } ?? .null, .int(Int64(row.seed)),
            row.identity.map { .text($0) } ?? .null, .int(lookID), .int(ruleSetID), .text(row.origin.rawValue), .text(createdAt))
        if rows.rows >= PostgresStore.copyRows { try flush() }
    }

    mutating func flush() throws {
        guard rows.rows > 0 else { return }
        try tx.copy(
            into: "versions",
            columns: ["shot_id", "number", "hash", "parent_hash", "seed", "identity", "look_id", "rule_set_id", "origin", "created_at"],
            data: rows.buffer)
        rows.reset()
    }

    /// `table` is `looks` or `rule_sets`, the writer's own constants.
    private static func sharedID(_ shared: SharedJSON, table: String, memo: inout SharedIDs, _ tx: PostgresTransaction) throws -> Int64 {
        if let id = memo[shared.key] { return id }
        let id: Int64
        if let existing = try tx.one("SELECT id FROM \(unescaped: table) WHERE key = \(shared.key)", as: Int64.self) {
            id = existing
        } else {
            guard let inserted = try tx.one(
                "INSERT INTO \(unescaped: table) (key, json) VALUES (\(shared.key), \(shared.json)) RETURNING id", as: Int64.self)
            else { throw StoreError.database("inserting into \(table) returned no id") }
            id = inserted
        }
        memo[shared.key] = id
        return id
    }
}

extension PostgresStore {
    /// Many versions' specs in one read (see `SQLiteStore.specs(of:)`).
    func specs(of keys: [VersionKey]) throws -> [VersionKey: JSONObject] {
        guard !keys.isEmpty else { return [:] }
        let ids = keys.map(\.shotID)
        let numbers = keys.map { Int64($0.version) }
        return try read { tx in
            var identities = Self.sourceIdentities(tx)
            var looks: [Int64: JSONObject] = [:]
            var specs: [VersionKey: JSONObject] = [:]
            let rows = try tx.rows("""
                SELECT v.shot_id, v.number, v.seed, v.identity, v.look_id, s.batch_id, s.ordinal
                FROM unnest(\(ids)::text[], \(numbers)::bigint[]) AS k(id, n)
                JOIN versions v ON v.shot_id = k.id AND v.number = k.n
                JOIN shots s ON s.id = v.shot_id
                ORDER BY s.batch_id, s.ordinal
                """)
            for row in rows {
                let lookID = try row.at(4, as: Int64.self)
                if looks[lookID] == nil {
                    let json = try tx.one("SELECT json FROM looks WHERE id = \(lookID)", as: String.self) ?? "{}"
                    looks[lookID] = try JSONParser.parse(json, maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                }
                let identity = try identities.identity(stored: try row.optionalString(3), batchID: try row.string(5), ordinal: try row.int(6))
                let seed = UInt32(truncatingIfNeeded: try row.at(2, as: Int64.self))
                specs[VersionKey(shotID: try row.string(0), version: try row.int(1))] = SpecParts.join(
                    identity: identity, look: looks[lookID] ?? JSONObject(), seed: seed)
            }
            return specs
        }
    }
}
