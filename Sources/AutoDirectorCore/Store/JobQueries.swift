import Foundation
import GRDB

extension SQLiteStore {
    /// Records a queued render job for the given versions inside the caller's transaction. The
    /// render engine picks queued jobs up; until then they wait here, durably.
    func enqueueRender(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, force: Bool = false, at now: Date, _ db: Database
    ) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO jobs (state, force, total, reason, created_at) VALUES (\(RenderJob.State.queued.sql), ?, ?, ?, ?)",
            arguments: [force, items.count, reason, now])
        let jobID = db.lastInsertedRowID
        var insert = BatchedInsert(db, table: "job_items", columns: ["job_id", "shot_id", "version", "hash", "state"])
        for item in items {
            try insert.add(.int(jobID), .text(item.shotID), .int(Int64(item.version)), .text(item.hash), .text("queued"))
        }
        try insert.flush()
        return jobID
    }

    /// A new queued job, in its own transaction.
    func createRenderJob(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, force: Bool, at clock: @autoclosure () -> Date
    ) throws -> Int64 {
        try write { db in try BulkWrite.withLargeCache(db) { try enqueueRender(items, reason: reason, force: force, at: clock(), db) } }
    }

    /// The latest version of every planned shot (of one batch, or all), whether rendered or not.
    func latestVersions(batchID: String?, shotIDs: [String]?) throws -> [(shotID: String, version: Int, hash: String)] {
        try read { db in
            var sql = """
                SELECT s.id, v.number, v.hash FROM shots s
                JOIN versions v ON v.shot_id = s.id AND v.number = \(Self.latestNumberSQL)
                WHERE 1
                """
            var arguments: StatementArguments = []
            if let batchID {
                sql += " AND s.batch_id = ?"
                arguments += [batchID]
            }
            if let shotIDs {
                sql += " AND s.id IN (SELECT value FROM json_each(?))"
                arguments += [SQLiteList.argument(shotIDs)]
            }
            sql += " ORDER BY s.batch_id, s.ordinal"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], $0[1], $0[2]) }
        }
    }

    func jobs(limit: Int = 50) throws -> [RenderJob] {
        try read { db in
            try Self.jobs(Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id DESC LIMIT ?", arguments: [limit]), db)
        }
    }

    func job(_ id: Int64) throws -> RenderJob? {
        try read { db in try Self.jobs(Row.fetchAll(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]), db).first }
    }

    func jobItems(_ id: Int64, states: [JobItem.State]? = nil) throws -> [JobItem] {
        try read { db in
            var sql = "SELECT * FROM job_items WHERE job_id = ?"
            if let states { sql += " AND state IN (\(states.map { "'\($0.rawValue)'" }.joined(separator: ",")))" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: [id]).map { row in
                JobItem(
                    jobID: row["job_id"], shotID: row["shot_id"], version: row["version"], hash: row["hash"],
                    state: JobItem.State(rawValue: row["state"]) ?? .queued, attempts: row["attempts"], error: row["error"],
                    durationMS: row["duration_ms"], requestID: row["request_id"])
            }
        }
    }

    /// Jobs that still have work: queued ones, and running ones whose runner died (resumed).
    func unfinishedJobIDs() throws -> [Int64] {
        try read { db in try Int64.fetchAll(db, sql: "SELECT id FROM jobs WHERE state IN \([RenderJob.State.queued, .running].sql) ORDER BY id") }
    }

    func jobState(_ id: Int64) throws -> RenderJob.State? {
        try read { db in try String.fetchOne(db, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [id]).flatMap(RenderJob.State.init) }
    }

    /// Marks a job running; items left `running` by a runner that died go back to the queue.
    func startJob(_ id: Int64, provider: String, at clock: @autoclosure () -> Date) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE jobs SET state = \(RenderJob.State.running.sql), provider = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND state IN \([RenderJob.State.queued, .running].sql)",
                arguments: [provider, clock(), id])
            try db.execute(sql: "UPDATE job_items SET state = \(JobItem.State.queued.sql) WHERE job_id = ? AND state = \(JobItem.State.running.sql)", arguments: [id])
        }
    }

    /// Stores finished items and their artifacts in one transaction: an item is finished exactly
    /// when its state and its artifact are committed together.
    func recordOutcomes(_ outcomes: [ItemOutcome], jobID: Int64, at clock: @autoclosure () -> Date) throws {
        guard !outcomes.isEmpty else { return }
        // A forced job renders hashes that may have their picture, and one that came out other is
        // a drift. Read before the write, so the writer's lock (which the TUI's decisions wait
        // for) is not held for it: a picture stored is never replaced, so what is read stays true.
        let storedPictures = try read { db -> [String: String] in
            guard try Bool.fetchOne(db, sql: "SELECT force FROM jobs WHERE id = ?", arguments: [jobID]) == true else { return [:] }
            return try ArtifactRows.pictures(of: outcomes.compactMap(\.artifact?.hash), db)
        }
        // Outcomes come in groups of at most 20k (see RenderSettings): 32 MiB holds what one
        // group touches, and keeps a render behind the TUI small.
        try write { db in try BulkWrite.withLargeCache(db, kibibytes: 32_768) {
            let now = String.fromDatabaseValue(clock().databaseValue) ?? ""
            var artifacts = ArtifactRows(db, storedPictures: storedPictures)
            for artifact in outcomes.lazy.compactMap(\.artifact) {
                try artifacts.add(artifact, createdAt: now)
            }
            try artifacts.flush()
            var update = try BulkStatement(
                db,
                sql: """
                    UPDATE OR FAIL job_items SET state = ?, attempts = ?, error = ?, duration_ms = ?, finished_at = ?
                    WHERE id BETWEEN ? AND ? AND +job_id = ?
                    """)
            // `+job_id` keeps the job check from choosing the (job_id, …) index, which would scan
            // every item of the job: the id range is the way in. `OR FAIL`: a failure fails the
            // whole transaction anyway, so SQLite need not journal each statement to undo it.
            for run in ItemOutcome.runs(outcomes) {
                update.bind(run.outcome.state.rawValue)
                update.bind(run.outcome.attempts)
                update.bind(run.outcome.error)
                update.bind(run.outcome.durationMS)
                update.bind(now)
                update.bind(run.first)
                update.bind(run.last)
                update.bind(jobID)
                try update.run()
            }
        } }
    }

    /// Puts a running job back in the queue, its unfinished items waiting (its runner stopped).
    func pauseJob(_ id: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE jobs SET state = \(RenderJob.State.queued.sql) WHERE id = ? AND state = \(RenderJob.State.running.sql)", arguments: [id])
        }
    }

    /// Closes a job: cancelled stays cancelled; any failed or blocked item makes it failed.
    @discardableResult
    func finishJob(_ id: Int64, at clock: @autoclosure () -> Date, decide: (JobClosing) -> RenderJob.State) throws -> RenderJob.State {
        try write { db in
            let current = try String.fetchOne(db, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [id]).flatMap(RenderJob.State.init) ?? .failed
            let unsuccessful = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM job_items WHERE job_id = ? AND state IN \(JobClosing.unsuccessful.sql)", arguments: [id]) ?? 0
            let state = decide(JobClosing(current: current, unsuccessfulItems: unsuccessful))
            try db.execute(sql: "UPDATE jobs SET state = ?, finished_at = ? WHERE id = ?", arguments: [state.rawValue, clock(), id])
            return state
        }
    }

    /// Cancels a queued or running job: its waiting items are cancelled at once; a runner
    /// notices at its next checkpoint and stops.
    func cancelJob(_ id: Int64, at clock: @autoclosure () -> Date) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE jobs SET state = \(RenderJob.State.cancelled.sql), finished_at = ? WHERE id = ? AND state IN \([RenderJob.State.queued, .running].sql)",
                arguments: [clock(), id])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: "UPDATE job_items SET state = \(JobItem.State.cancelled.sql) WHERE job_id = ? AND state IN \([JobItem.State.queued, .running].sql)", arguments: [id])
            return true
        }
    }

    /// Queues a finished job's failed, blocked and cancelled items again.
    func retryJob(_ id: Int64) throws -> Int {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE job_items SET state = \(JobItem.State.queued.sql), error = NULL, request_id = NULL, submitted_at = NULL
                    WHERE job_id = ? AND state IN \([JobItem.State.failed, .blocked, .cancelled].sql)
                    """,
                arguments: [id])
            let count = db.changesCount
            if count > 0 { try db.execute(sql: "UPDATE jobs SET state = \(RenderJob.State.queued.sql), finished_at = NULL WHERE id = ?", arguments: [id]) }
            return count
        }
    }

    /// The spec hashes that already have an artifact.
    func renderedHashes(among hashes: [String]?) throws -> Set<String> {
        // From `renders` alone: every render has its image, and the hash index covers this.
        try read { db in
            guard let hashes else { return Set(try String.fetchAll(db, sql: "SELECT hash FROM renders")) }
            return Set(
                try String.fetchAll(
                    db, sql: "SELECT hash FROM renders WHERE hash IN (SELECT value FROM json_each(?))",
                    arguments: [SQLiteList.argument(hashes)]))
        }
    }

    func renderedHashes(inJob jobID: Int64) throws -> Set<String> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT ji.hash FROM job_items ji JOIN renders r ON r.hash = ji.hash WHERE ji.job_id = ?", arguments: [jobID]))
        }
    }

    /// The jobs of `rows` with their item counts and retries: one grouped query for all of them
    /// (`jobs` of 100 jobs made 201 queries when each job asked for its own).
    static func jobs(_ rows: [Row], _ db: Database) throws -> [RenderJob] {
        let ids: [Int64] = rows.map { $0["id"] }
        guard !ids.isEmpty else { return [] }
        var counts: [Int64: [JobItem.State: Int]] = [:]
        var retries: [Int64: Int] = [:]
        for count in try Row.fetchAll(
            db,
            sql: """
                SELECT job_id, state, COUNT(*), COALESCE(SUM(CASE WHEN attempts > 1 THEN attempts - 1 ELSE 0 END), 0) FROM job_items
                WHERE job_id IN (SELECT value FROM json_each(?)) GROUP BY job_id, state
                """,
            arguments: [SQLiteList.argument(ids)])
        {
            let id: Int64 = count[0]
            if let state = JobItem.State(rawValue: count[1]) { counts[id, default: [:]][state] = count[2] }
            retries[id, default: 0] += count[3] as Int
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            return RenderJob(
                id: id, state: RenderJob.State(rawValue: row["state"]) ?? .failed, provider: row["provider"], force: row["force"],
                total: row["total"], reason: row["reason"], createdAt: row["created_at"], startedAt: row["started_at"],
                finishedAt: row["finished_at"], counts: counts[id] ?? [:], retries: retries[id] ?? 0)
        }
    }
}

extension SQLiteStore {
    /// Versions waiting in a queued or running job.
    /// Versions waiting in an unfinished job (queued by any process), each with that job.
    func waitingVersions(shotIDs: [String]?) throws -> [VersionKey: Int64] {
        try read { db in
            var sql = """
                SELECT ji.shot_id, ji.version, ji.job_id FROM job_items ji JOIN jobs j ON j.id = ji.job_id
                WHERE j.state IN \([RenderJob.State.queued, .running].sql) AND ji.state IN \([JobItem.State.queued, .running].sql)
                """
            var arguments: StatementArguments = []
            if let shotIDs {
                sql += " AND ji.shot_id IN (SELECT value FROM json_each(?))"
                arguments = [SQLiteList.argument(shotIDs)]
            }
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            return Dictionary(rows.map { (VersionKey(shotID: $0[0], version: $0[1]), $0[2]) }, uniquingKeysWith: min)
        }
    }
}
