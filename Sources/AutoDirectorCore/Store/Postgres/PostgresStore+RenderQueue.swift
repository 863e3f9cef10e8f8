import Foundation
import PostgresNIO

extension PostgresStore {
    /// A queued job for the given versions, inside the caller's transaction; its items in one
    /// statement, numbered in queue order (writers take turns, so their ids are consecutive).
    static func enqueueRender(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, force: Bool, at now: Date, _ tx: PostgresTransaction
    ) throws -> Int64 {
        guard let jobID = try tx.one("""
            INSERT INTO jobs (state, force, total, reason, created_at)
            VALUES (\(RenderJob.State.queued.rawValue), \(Int64(force ? 1 : 0)), \(Int64(items.count)), \(reason), \(StoredDate.text(now)))
            RETURNING id
            """, as: Int64.self)
        else { throw StoreError.database("inserting a job returned no id") }
        for start in stride(from: 0, to: items.count, by: 50_000) {
            let slice = items[start..<min(items.count, start + 50_000)]
            try tx.execute("""
                INSERT INTO job_items (job_id, shot_id, version, hash, state)
                SELECT \(jobID), u.shot_id, u.version, u.hash, \(JobItem.State.queued.rawValue)
                FROM unnest(\(slice.map(\.shotID)), \(slice.map { Int64($0.version) }), \(slice.map(\.hash))) WITH ORDINALITY
                    AS u(shot_id, version, hash, ordinal)
                ORDER BY u.ordinal
                """)
        }
        return jobID
    }

    func createRenderJob(
        _ items: [(shotID: String, version: Int, hash: String)], reason: String, force: Bool, at clock: @autoclosure () -> Date
    ) throws -> Int64 {
        let jobID = try write { tx in try Self.enqueueRender(items, reason: reason, force: force, at: clock(), tx) }
        // A big job changes what `job_items` holds faster than autovacuum looks (a minute or
        // more later): planned with the statistics of before it, a claim took the queue for a
        // row or two and read all 100k items for each claim (0.4–0.7 s, `bench shared` with
        // auto_explain). The job is stored either way; fresh statistics only speed it up.
        if items.count >= Self.analyzeAfterItems { _ = try? session.writeOutsideTurn { tx in try tx.execute("ANALYZE job_items") } }
        return jobID
    }

    /// A job this big has its items' statistics taken at once (ANALYZE samples 30k rows:
    /// tens of milliseconds).
    static let analyzeAfterItems = 1000

    static let jobColumns = "id, state, provider, force, total, reason, created_at, started_at, finished_at"

    /// Jobs with their item counts and retries: three statements however many jobs.
    private static func jobs(_ rows: [PostgresRow], _ tx: PostgresTransaction) throws -> [RenderJob] {
        let ids = try rows.map { try $0.at(0, as: Int64.self) }
        guard !ids.isEmpty else { return [] }
        var counts: [Int64: [JobItem.State: Int]] = [:]
        for row in try tx.rows("SELECT job_id, state, COUNT(*) FROM job_items WHERE job_id = ANY(\(ids)) GROUP BY job_id, state") {
            if let state = JobItem.State(rawValue: try row.string(1)) { counts[try row.at(0, as: Int64.self), default: [:]][state] = try row.int(2) }
        }
        var retries: [Int64: Int] = [:]
        for row in try tx.rows(
            "SELECT job_id, SUM(attempts - 1)::BIGINT FROM job_items WHERE job_id = ANY(\(ids)) AND attempts > 1 GROUP BY job_id")
        {
            retries[try row.at(0, as: Int64.self)] = try row.int(1)
        }
        return try rows.map { row in
            let id = try row.at(0, as: Int64.self)
            return RenderJob(
                id: id, state: RenderJob.State(rawValue: try row.string(1)) ?? .failed, provider: try row.optionalString(2),
                force: try row.int(3) != 0, total: try row.int(4), reason: try row.optionalString(5), createdAt: try row.date(6),
                startedAt: try row.optionalDate(7), finishedAt: try row.optionalDate(8), counts: counts[id] ?? [:], retries: retries[id] ?? 0)
        }
    }

    func jobs(limit: Int) throws -> [RenderJob] {
        try read { tx in
            try Self.jobs(tx.rows("SELECT \(unescaped: Self.jobColumns) FROM jobs ORDER BY id DESC LIMIT \(Int64(limit))"), tx)
        }
    }

    func job(_ id: Int64) throws -> RenderJob? {
        try read { tx in try Self.jobs(tx.rows("SELECT \(unescaped: Self.jobColumns) FROM jobs WHERE id = \(id)"), tx).first }
    }

    func jobItems(_ id: Int64, states: [JobItem.State]?) throws -> [JobItem] {
        try read { tx in
            let select = """
                SELECT job_id, shot_id, version, hash, state, attempts, error, duration_ms, request_id,
                    COALESCE((SELECT w.name FROM workers w WHERE w.owner = ji.lease_owner AND ji.state = 'running'), ji.rendered_by)
                FROM job_items ji
                """
            let rows = try states.map { states in
                try tx.rows("\(unescaped: select) WHERE job_id = \(id) AND state = ANY(\(states.map(\.rawValue))) ORDER BY id")
            } ?? tx.rows("\(unescaped: select) WHERE job_id = \(id) ORDER BY id")
            return try rows.map { row in
                JobItem(
                    jobID: try row.at(0, as: Int64.self), shotID: try row.string(1), version: try row.int(2), hash: try row.string(3),
                    state: JobItem.State(rawValue: try row.string(4)) ?? .queued, attempts: try row.int(5), error: try row.optionalString(6),
                    durationMS: try row.optionalInt(7), requestID: try row.optionalString(8), box: try row.optionalString(9))
            }
        }
    }

    static let unfinishedJobStates = [RenderJob.State.queued, .running].map(\.rawValue)
    static let waitingItemStates = [JobItem.State.queued, .running].map(\.rawValue)

    func unfinishedJobIDs() throws -> [Int64] {
        try read { tx in try tx.column("SELECT id FROM jobs WHERE state = ANY(\(Self.unfinishedJobStates)) ORDER BY id", as: Int64.self) }
    }

    func jobState(_ id: Int64) throws -> RenderJob.State? {
        try read { tx in try tx.one("SELECT state FROM jobs WHERE id = \(id)", as: String.self).flatMap(RenderJob.State.init) }
    }

    func startJob(_ id: Int64, provider: String, at clock: @autoclosure () -> Date) throws {
        try write { tx in
            try tx.execute("""
                UPDATE jobs SET state = \(RenderJob.State.running.rawValue), provider = \(provider), started_at = COALESCE(started_at, \(StoredDate.text(clock())))
                WHERE id = \(id) AND state = ANY(\(Self.unfinishedJobStates))
                """)
            // Items another box is rendering stay its own: an expired lease is the reaper's
            // (`RenderLeases.reapExpiredLeases`).
        }
    }

    func recordOutcomes(_ outcomes: [ItemOutcome], jobID: Int64, at clock: @autoclosure () -> Date) throws {
        guard !outcomes.isEmpty else { return }
        let now = StoredDate.text(clock())
        // The images and renders before its turn among the project's writers (see
        // `PostgresSession.write(unserialized:_:)`); each part in a few statements whatever the count.
        try session.write(unserialized: { tx in
            try PostgresArtifactRows.addAll(outcomes.compactMap(\.artifact), createdAt: now, tx)
        }) { tx in
            for run in ItemOutcome.runs(outcomes) {
                try tx.execute("""
                    UPDATE job_items SET state = \(run.outcome.state.rawValue), attempts = \(Int64(run.outcome.attempts)),
                        error = \(run.outcome.error), duration_ms = \(Int64(run.outcome.durationMS)), finished_at = \(now)
                    WHERE id BETWEEN \(run.first) AND \(run.last) AND job_id = \(jobID)
                    """)
            }
        }
    }

    func pauseJob(_ id: Int64) throws {
        _ = try write { tx in
            try tx.execute(
                "UPDATE jobs SET state = \(RenderJob.State.queued.rawValue) WHERE id = \(id) AND state = \(RenderJob.State.running.rawValue)")
        }
    }

    @discardableResult
    func finishJob(_ id: Int64, at clock: @autoclosure () -> Date, decide: (JobClosing) -> RenderJob.State) throws -> RenderJob.State {
        try write { tx in
            let current = try tx.one("SELECT state FROM jobs WHERE id = \(id)", as: String.self).flatMap(RenderJob.State.init) ?? .failed
            let unsuccessful = try tx.one(
                "SELECT COUNT(*) FROM job_items WHERE job_id = \(id) AND state = ANY(\(JobClosing.unsuccessful.map(\.rawValue)))", as: Int64.self) ?? 0
            let state = decide(JobClosing(current: current, unsuccessfulItems: Int(unsuccessful)))
            try tx.execute("UPDATE jobs SET state = \(state.rawValue), finished_at = \(StoredDate.text(clock())) WHERE id = \(id)")
            return state
        }
    }

    func cancelJob(_ id: Int64, at clock: @autoclosure () -> Date) throws -> Bool {
        try write { tx in
            let changed = try tx.execute("""
                UPDATE jobs SET state = \(RenderJob.State.cancelled.rawValue), finished_at = \(StoredDate.text(clock()))
                WHERE id = \(id) AND state = ANY(\(Self.unfinishedJobStates))
                """)
            guard changed > 0 else { return false }
            try tx.execute("""
                UPDATE job_items SET state = \(JobItem.State.cancelled.rawValue) WHERE job_id = \(id) AND state = ANY(\(Self.waitingItemStates))
                """)
            return true
        }
    }

    func retryJob(_ id: Int64) throws -> Int {
        try write { tx in
            let retryable = [JobItem.State.failed, .blocked, .cancelled].map(\.rawValue)
            let count = try tx.execute("""
                UPDATE job_items SET state = \(JobItem.State.queued.rawValue), error = NULL, request_id = NULL, submitted_at = NULL
                WHERE job_id = \(id) AND state = ANY(\(retryable))
                """)
            if count > 0 {
                try tx.execute("UPDATE jobs SET state = \(RenderJob.State.queued.rawValue), finished_at = NULL WHERE id = \(id)")
            }
            return count
        }
    }

    func waitingVersions(shotIDs: [String]?) throws -> [VersionKey: Int64] {
        try read { tx in
            let rows = try tx.rows("""
                SELECT ji.shot_id, ji.version, ji.job_id FROM job_items ji JOIN jobs j ON j.id = ji.job_id
                WHERE j.state = ANY(\(Self.unfinishedJobStates)) AND ji.state = ANY(\(Self.waitingItemStates))
                AND (\(shotIDs)::text[] IS NULL OR ji.shot_id = ANY(\(shotIDs)))
                """)
            return Dictionary(
                try rows.map { (VersionKey(shotID: try $0.string(0), version: try $0.int(1)), try $0.at(2, as: Int64.self)) },
                uniquingKeysWith: min)
        }
    }

    func renderLooks(jobID: Int64) throws -> RenderLooks {
        try read { tx in
            var looks: RenderLooks = [:]
            for row in try tx.rows("""
                SELECT id, key, json FROM looks WHERE id IN (SELECT DISTINCT v.look_id FROM job_items ji
                JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version
                WHERE ji.job_id = \(jobID) AND ji.state = \(JobItem.State.queued.rawValue))
                """)
            {
                looks[try row.at(0, as: Int64.self)] = (
                    try row.string(1), try JSONParser.parse(try row.string(2), maxDepth: JSONDepth.storedLimit).objectValue ?? JSONObject()
                )
            }
            return looks
        }
    }

    func renderRequestPage(jobID: Int64, after: Int64, limit: Int, looks: RenderLooks) throws -> [RenderRequest] {
        try read { tx in
            try Self.requests(
                tx.rows("""
                    \(unescaped: Self.requestSelect)
                    WHERE ji.job_id = \(jobID) AND ji.state = \(JobItem.State.queued.rawValue) AND ji.id > \(after) ORDER BY ji.id LIMIT \(Int64(limit))
                    """), looks: looks, tx)
        }
    }

    /// The columns `requests(_:looks:_:)` reads, from a job's items with their versions and shots.
    static let requestSelect = """
        SELECT ji.shot_id, ji.version, ji.hash, v.seed, v.identity, v.look_id, s.batch_id, s.ordinal, ji.request_id, ji.submitted_at, ji.id,
            ji.lease_attempt
        FROM job_items ji
        JOIN versions v ON v.shot_id = ji.shot_id AND v.number = ji.version
        JOIN shots s ON s.id = ji.shot_id
        """

    /// Render requests from rows of `requestSelect`.
    static func requests(_ rows: [PostgresRow], looks: RenderLooks, leased: Bool = false, _ tx: PostgresTransaction) throws -> [RenderRequest] {
        var identities = Self.sourceIdentities(tx)
        var requests: [RenderRequest] = []
        requests.reserveCapacity(rows.count)
        for row in rows {
            guard let (lookKey, look) = looks[try row.at(5, as: Int64.self)] else { throw StoredRowError(batchID: "?", line: nil) }
            let identity = try identities.identity(stored: try row.optionalString(4), batchID: try row.string(6), ordinal: try row.int(7))
            let seed = UInt32(truncatingIfNeeded: try row.at(3, as: Int64.self))
            var request = RenderRequest(
                shotID: try row.string(0), version: try row.int(1), hash: try row.string(2), identity: identity, look: look, seed: seed,
                lookKey: lookKey)
            request.jobItemID = try row.at(10, as: Int64.self)
            if leased { request.leaseAttempt = try row.at(11, as: Int64.self) }
            if let requestID = try row.optionalString(8) {
                request.submission = .accepted(requestID: requestID)
            } else if try row.optionalString(9) != nil {
                request.submission = .sending
            }
            requests.append(request)
        }
        return requests
    }

    func renderMetrics(batchID: String?) throws -> RenderMetrics {
        try read { tx in
            var binds = PostgresBindings()
            let items: String
            if let batchID {
                binds.append(batchID)
                items = "(SELECT ji.* FROM job_items ji JOIN shots s ON s.id = ji.shot_id WHERE s.batch_id = $1)"
            } else {
                items = "job_items"
            }
            func query(_ sql: String) -> PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
            var counts: [String: Int] = [:]
            for row in try tx.rows(query("SELECT state, COUNT(*), SUM(GREATEST(attempts - 1, 0))::BIGINT FROM \(items) i GROUP BY state")) {
                counts[try row.string(0)] = try row.int(1)
                counts["retries", default: 0] += try row.optionalInt(2) ?? 0
            }
            let durations = try tx.column(
                query("SELECT duration_ms FROM \(items) i WHERE state = '\(JobItem.State.done.rawValue)' AND duration_ms IS NOT NULL ORDER BY duration_ms"),
                as: Int64.self
            ).map(Int.init)
            func quantile(_ q: Double) -> Double? {
                guard !durations.isEmpty else { return nil }
                let rank = max(1, Int((q * Double(durations.count)).rounded(.up)))
                return Double(durations[min(durations.count, rank) - 1]) / 1000
            }
            let queue = try tx.one(query("""
                SELECT COUNT(*) FROM \(items) ji JOIN jobs j ON j.id = ji.job_id
                WHERE j.state IN ('queued', 'running') AND ji.state IN ('queued', 'running')
                """), as: Int64.self) ?? 0
            var jobs: [RenderJob.State: Int] = [:]
            for row in try tx.rows("SELECT state, COUNT(*) FROM jobs GROUP BY state") {
                if let state = RenderJob.State(rawValue: try row.string(0)) { jobs[state] = try row.int(1) }
            }
            return RenderMetrics(
                rendersExecuted: counts["done"] ?? 0, cacheHits: counts["cached"] ?? 0,
                failures: (counts["failed"] ?? 0) + (counts["blocked"] ?? 0), blocked: counts["blocked"] ?? 0,
                retries: counts["retries"] ?? 0, renderSecondsP50: quantile(0.5), renderSecondsP95: quantile(0.95),
                queueDepth: Int(queue), jobsByState: jobs,
                renderMillisecondsMean: durations.isEmpty ? nil : Double(durations.reduce(0, +)) / Double(durations.count))
        }
    }

    // MARK: SubmissionRecords

    func recordSubmissions(_ states: [(jobID: Int64, items: [VersionKey], state: SubmissionJournal.State)], at now: Date) throws {
        try write { tx in
            let nowText = StoredDate.text(now)
            for (jobID, items, state) in states {
                let requestID: String?
                let submittedAt: String?
                switch state {
                case .none: (requestID, submittedAt) = (nil, nil)
                case .sending: (requestID, submittedAt) = (nil, nowText)
                case .accepted(let id): (requestID, submittedAt) = (id, nowText)
                }
                for item in items {
                    try tx.execute("""
                        UPDATE job_items SET request_id = \(requestID), submitted_at = \(submittedAt)
                        WHERE job_id = \(jobID) AND shot_id = \(item.shotID) AND version = \(Int64(item.version))
                        """)
                }
            }
        }
    }

    // MARK: ArtifactIndex

    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?, call: DirectRenderCall?) throws {
        let createdAt = StoredDate.text(artifact.createdAt)
        try write { tx in
            var rows = PostgresArtifactRows(tx)
            try rows.add(
                StoredArtifact(
                    hash: artifact.hash, path: artifact.path, imageSHA256: artifact.imageSHA256, mime: artifact.mime, width: artifact.width,
                    height: artifact.height, byteCount: artifact.byteCount, provider: artifact.provider, metadata: artifact.providerMeta,
                    compiledPrompt: compiledPrompt),
                createdAt: createdAt)
            if let call {
                try tx.execute("INSERT INTO direct_renders (hash, generation, created_at) VALUES (\(artifact.hash), \(call.generation), \(createdAt))")
            }
        }
    }

    func renderDrifts(of hashes: [String]?) throws -> [String: [RenderDriftRecord]] {
        try read { tx in
            let rows = try tx.rows("""
                SELECT hash, image_sha256, path, created_at FROM render_drifts
                WHERE \(hashes)::text[] IS NULL OR hash = ANY(\(hashes)) ORDER BY id
                """)
            return Dictionary(grouping: try rows.map { row in
                RenderDriftRecord(hash: try row.string(0), imageSHA256: try row.string(1), path: try row.string(2), createdAt: try row.date(3))
            }, by: \.hash)
        }
    }

    func artifact(for hash: String) throws -> Artifact? {
        try read { tx in
            try tx.rows("""
                SELECT hash, path, image_sha256, mime, width, height, byte_count, provider, created_at, provider_meta, compiled_prompt
                FROM artifacts WHERE hash = \(hash)
                """
            ).first.map { row in
                var artifact = Artifact(
                    hash: try row.string(0), path: try row.string(1), imageSHA256: try row.string(2), mime: try row.string(3),
                    width: try row.optionalInt(4), height: try row.optionalInt(5), byteCount: try row.int(6), provider: try row.string(7),
                    createdAt: try row.date(8))
                artifact.providerMeta = try row.optionalString(9)
                artifact.compiledPrompt = try row.optionalString(10)
                return artifact
            }
        }
    }

    func renderedHashes(among hashes: [String]?) throws -> Set<String> {
        try read { tx in
            Set(try tx.column("SELECT hash FROM renders WHERE \(hashes)::text[] IS NULL OR hash = ANY(\(hashes))", as: String.self))
        }
    }

    func renderedHashes(inJob jobID: Int64) throws -> Set<String> {
        try read { tx in
            Set(try tx.column("SELECT DISTINCT ji.hash FROM job_items ji JOIN renders r ON r.hash = ji.hash WHERE ji.job_id = \(jobID)", as: String.self))
        }
    }
}

/// Writes artifacts as the schema keeps them (see `ArtifactRows`, its SQLite twin): one image
/// row per file, one render row per spec hash; the first render stored for a hash wins.
struct PostgresArtifactRows {
    private let tx: PostgresTransaction
    private var imageIDs: [String: Int64] = [:]
    private var seen: Set<String> = []

    init(_ tx: PostgresTransaction) { self.tx = tx }

    /// Stores many artifacts in four statements (arrays unnested by the server): the renders
    /// already stored are skipped, new images inserted once per file, then the renders.
    static func addAll(_ artifacts: [StoredArtifact], createdAt: String, _ tx: PostgresTransaction) throws {
        var seen: Set<String> = []
        let unique = artifacts.filter { seen.insert($0.hash).inserted }
        guard !unique.isEmpty else { return }
        var stored: [String: String] = [:]
        for row in try tx.rows("SELECT hash, image_sha256 FROM artifacts WHERE hash = ANY(\(unique.map(\.hash)))") {
            stored[try row.string(0)] = try row.string(1)
        }
        // A hash rendered again (a forced job) whose picture came out other: a drift.
        let drifted = unique.filter { artifact in stored[artifact.hash].map { $0 != artifact.imageSHA256 } ?? false }
        if !drifted.isEmpty {
            try tx.execute("""
                INSERT INTO render_drifts (hash, image_sha256, path, created_at)
                SELECT h, s, p, \(createdAt) FROM unnest(\(drifted.map(\.hash)), \(drifted.map(\.imageSHA256)), \(drifted.map(\.path))) AS t(h, s, p)
                """)
        }
        let fresh = unique.filter { stored[$0.hash] == nil }
        guard !fresh.isEmpty else { return }
        var files: Set<String> = []
        let images = fresh.filter { files.insert($0.imageSHA256).inserted }
        // Arrays of optionals do not encode: -1 stands for an unknown size.
        try tx.execute("""
            INSERT INTO images (sha256, path, mime, width, height, byte_count)
            SELECT s, p, m, NULLIF(w, -1), NULLIF(h, -1), b
            FROM unnest(\(images.map(\.imageSHA256)), \(images.map(\.path)), \(images.map(\.mime)), \(images.map { Int64($0.width ?? -1) }),
                \(images.map { Int64($0.height ?? -1) }), \(images.map { Int64($0.byteCount) })) AS t(s, p, m, w, h, b)
            ON CONFLICT (sha256) DO NOTHING
            """)
        var imageIDs: [String: Int64] = [:]
        for row in try tx.rows("SELECT sha256, id FROM images WHERE sha256 = ANY(\(Array(files)))") {
            imageIDs[try row.string(0)] = try row.at(1, as: Int64.self)
        }
        let renders = fresh.filter { imageIDs[$0.imageSHA256] != nil }
        try tx.execute("""
            INSERT INTO renders (hash, image_id, provider, provider_meta, compiled_prompt, created_at)
            SELECT h, i, p, CASE WHEN mn THEN NULL ELSE m END, CASE WHEN cn THEN NULL ELSE c END, \(createdAt)
            FROM unnest(\(renders.map(\.hash)), \(renders.map { imageIDs[$0.imageSHA256] ?? 0 }), \(renders.map(\.provider)),
                \(renders.map { $0.metadata ?? "" }), \(renders.map { $0.metadata == nil }),
                \(renders.map { $0.compiledPrompt ?? "" }), \(renders.map { $0.compiledPrompt == nil })) AS t(h, i, p, m, mn, c, cn)
            ON CONFLICT (hash) DO NOTHING
            """)
    }

    mutating func add(_ artifact: StoredArtifact, createdAt: String) throws {
        guard seen.insert(artifact.hash).inserted, let imageID = try imageID(for: artifact) else { return }
        try tx.execute("""
            INSERT INTO renders (hash, image_id, provider, provider_meta, compiled_prompt, created_at)
            VALUES (\(artifact.hash), \(imageID), \(artifact.provider), \(artifact.metadata), \(artifact.compiledPrompt), \(createdAt))
            ON CONFLICT (hash) DO NOTHING
            """)
    }

    private mutating func imageID(for artifact: StoredArtifact) throws -> Int64? {
        if let id = imageIDs[artifact.imageSHA256] { return id }
        let id: Int64
        if let existing = try tx.one("SELECT id FROM images WHERE sha256 = \(artifact.imageSHA256)", as: Int64.self) {
            id = existing
        } else {
            if try tx.one("SELECT EXISTS (SELECT 1 FROM renders WHERE hash = \(artifact.hash))", as: Bool.self) == true { return nil }
            guard let inserted = try tx.one("""
                INSERT INTO images (sha256, path, mime, width, height, byte_count)
                VALUES (\(artifact.imageSHA256), \(artifact.path), \(artifact.mime), \(artifact.width.map(Int64.init)),
                    \(artifact.height.map(Int64.init)), \(Int64(artifact.byteCount)))
                RETURNING id
                """, as: Int64.self)
            else { throw StoreError.database("inserting an image returned no id") }
            id = inserted
        }
        imageIDs[artifact.imageSHA256] = id
        return id
    }
}
