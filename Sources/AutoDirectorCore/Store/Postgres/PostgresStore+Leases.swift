import Foundation
import PostgresNIO

/// The render queue across machines on PostgreSQL (see `RenderLeases`). The lease owner is the
/// session's writer token: one per process. Claims, heartbeats and the reaper are bookkeeping
/// of the queue and run outside the project's writers' turns; finished items go through the
/// turn as every render commit does, so the other processes hear of them.
extension PostgresStore: RenderLeases {
    private var owner: String { session.writerToken }

    private static let running = JobItem.State.running.rawValue
    private static let queued = JobItem.State.queued.rawValue
    /// The advisory lock claims take under a cap on items in flight ("adclaim").
    private static let claimLockKey: Int64 = 0x61_6463_6c61_696d

    private static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, Int64((duration.seconds * 1000).rounded()))
    }

    func registerWorker(name: String, host: String, pid: Int) throws {
        try session.writeOutsideTurn { tx in
            try tx.execute("""
                INSERT INTO workers (owner, name, host, pid, state, started_at, heartbeat_at)
                VALUES (\(owner), \(name), \(host), \(Int64(pid)), \(RenderWorker.State.running.rawValue), now(), now())
                ON CONFLICT (owner) DO UPDATE SET state = EXCLUDED.state, heartbeat_at = now(), stopped_at = NULL
                """)
        }
    }

    func claimRenderRequests(jobID: Int64, limit: Int, lease: Duration, looks: RenderLooks, maxInFlight: Int?) throws -> [RenderRequest] {
        try session.writeOutsideTurn { tx in
            var limit = limit
            if let maxInFlight {
                // Claims take turns under the cap, so two boxes cannot both fill its last room.
                try tx.execute("SELECT pg_advisory_xact_lock(\(Self.claimLockKey))")
                let live = try tx.one(
                    "SELECT COUNT(*) FROM job_items WHERE state = \(Self.running) AND lease_expires_at > now()", as: Int64.self) ?? 0
                limit = min(limit, maxInFlight - Int(live))
                guard limit > 0 else { return [] }
            }
            // The items picked (on the index of queued ids: never the done ones) skip those
            // another box is claiming; the queued ones with a picked hash (the picked among them)
            // are claimed with them, so that the hash is rendered (and paid for) once: one scan
            // of the queued-by-hash index with the hashes as an array. An OR of the two sets read
            // every queued item of the job; a UNION of them planned and ran ~30% slower on small
            // jobs (EXPLAIN ANALYZE, 1.4k and 100k items). Big jobs are analyzed when queued
            // (`createRenderJob`), so the array is planned as an index condition.
            let ids = try tx.column("""
                WITH picked AS (
                    SELECT id, hash FROM job_items WHERE job_id = \(jobID) AND state = \(Self.queued)
                    ORDER BY id LIMIT \(Int64(max(1, limit))) FOR UPDATE SKIP LOCKED
                )
                UPDATE job_items ji SET state = \(Self.running), lease_owner = \(owner), lease_attempt = ji.lease_attempt + 1,
                    lease_expires_at = now() + \(Self.milliseconds(lease)) * interval '1 millisecond'
                WHERE ji.job_id = \(jobID) AND ji.state = \(Self.queued) AND ji.hash = ANY(ARRAY(SELECT hash FROM picked))
                RETURNING ji.id
                """, as: Int64.self)
            guard !ids.isEmpty else { return [] }
            return try Self.requests(
                tx.rows("\(unescaped: Self.requestSelect) WHERE ji.id = ANY(\(ids)) ORDER BY ji.id"), looks: looks, leased: true, tx)
        }
    }

    func heartbeat(lease: Duration, state: RenderWorker.State) throws -> Int {
        try session.writeOutsideTurn { tx in
            let held = try tx.execute("""
                UPDATE job_items SET lease_expires_at = now() + \(Self.milliseconds(lease)) * interval '1 millisecond'
                WHERE lease_owner = \(owner) AND state = \(Self.running)
                """)
            try tx.execute("UPDATE workers SET heartbeat_at = now(), state = \(state.rawValue) WHERE owner = \(owner)")
            return held
        }
    }

    func reapExpiredLeases(at clock: @autoclosure () -> Date) throws -> Int {
        let now = StoredDate.text(clock())
        return try session.writeOutsideTurn { tx in
            // Running items without a lease were left by a single renderer of an earlier
            // version (or copied by `migrate`): theirs is expired too.
            let reaped = try tx.execute("""
                UPDATE job_items SET state = \(Self.queued), lease_owner = NULL, lease_expires_at = NULL
                WHERE state = \(Self.running) AND (lease_expires_at IS NULL OR lease_expires_at < now())
                """)
            // A box that died after its job's last item and before closing it leaves the job
            // running with nothing to do.
            let closable = try tx.column("""
                SELECT j.id FROM jobs j WHERE j.state = \(RenderJob.State.running.rawValue)
                AND NOT EXISTS (SELECT 1 FROM job_items ji WHERE ji.job_id = j.id AND ji.state IN (\(Self.queued), \(Self.running)))
                """, as: Int64.self)
            for id in closable {
                let unsuccessful = try tx.one(
                    "SELECT COUNT(*) FROM job_items WHERE job_id = \(id) AND state = ANY(\(JobClosing.unsuccessful.map(\.rawValue)))",
                    as: Int64.self) ?? 0
                let state = JobClosing(current: .running, unsuccessfulItems: Int(unsuccessful)).finalState
                try tx.execute("UPDATE jobs SET state = \(state.rawValue), finished_at = \(now) WHERE id = \(id) AND state = \(RenderJob.State.running.rawValue)")
            }
            return reaped
        }
    }

    func releaseLeases() throws -> Int {
        try session.writeOutsideTurn { tx in
            let jobs = try tx.column("""
                UPDATE job_items SET state = \(Self.queued), lease_owner = NULL, lease_expires_at = NULL
                WHERE lease_owner = \(owner) AND state = \(Self.running)
                RETURNING job_id
                """, as: Int64.self)
            // A job no box renders any more waits in the queue, as on one machine.
            try tx.execute("""
                UPDATE jobs j SET state = \(RenderJob.State.queued.rawValue)
                WHERE j.id = ANY(\(Array(Set(jobs)))) AND j.state = \(RenderJob.State.running.rawValue)
                    AND NOT EXISTS (SELECT 1 FROM job_items ji WHERE ji.job_id = j.id AND ji.state = \(Self.running))
                """)
            return jobs.count
        }
    }

    func recordLeasedOutcomes(_ outcomes: [ItemOutcome], jobID: Int64, at clock: @autoclosure () -> Date) throws -> Int {
        guard !outcomes.isEmpty else { return 0 }
        let now = StoredDate.text(clock())
        let owner = self.owner
        return try session.write(unserialized: { tx in
            try PostgresArtifactRows.addAll(outcomes.compactMap(\.artifact), createdAt: now, tx)
        }) { tx in
            // Only items still leased to this box under the claim they were rendered from.
            let written = try tx.execute("""
                UPDATE job_items ji SET state = u.state, attempts = u.attempts, error = CASE WHEN u.no_error THEN NULL ELSE u.error END,
                    duration_ms = u.duration, finished_at = \(now), lease_owner = NULL, lease_expires_at = NULL,
                    rendered_by = (SELECT name FROM workers WHERE owner = \(owner))
                FROM unnest(\(outcomes.map(\.itemID)), \(outcomes.map { $0.leaseAttempt ?? -1 }), \(outcomes.map(\.state.rawValue)),
                    \(outcomes.map { Int64($0.attempts) }), \(outcomes.map { $0.error ?? "" }), \(outcomes.map { $0.error == nil }),
                    \(outcomes.map { Int64($0.durationMS) })) AS u(id, lease_attempt, state, attempts, error, no_error, duration)
                WHERE ji.id = u.id AND ji.job_id = \(jobID) AND ji.state IN (\(Self.running), \(JobItem.State.cancelled.rawValue))
                    AND ji.lease_owner = \(owner) AND ji.lease_attempt = u.lease_attempt
                """)
            let done = outcomes.filter { $0.state == .done }.count
            try tx.execute("""
                UPDATE workers SET renders_done = renders_done + \(Int64(min(done, written))),
                    lost_leases = lost_leases + \(Int64(outcomes.count - written)) WHERE owner = \(owner)
                """)
            return written
        }
    }

    func recordLeasedSubmissions(_ records: [(items: [ItemLease], state: SubmissionJournal.State)], at now: Date) throws -> [Bool] {
        let nowText = StoredDate.text(now)
        let owner = self.owner
        return try session.writeOutsideTurn { tx in
            try records.map { items, state in
                let ids = items.map(\.itemID)
                switch state {
                case .sending:
                    let written = try tx.execute("""
                        UPDATE job_items ji SET request_id = NULL, submitted_at = \(nowText)
                        FROM unnest(\(ids), \(items.map(\.attempt))) AS u(id, lease_attempt)
                        WHERE ji.id = u.id AND ji.state = \(Self.running) AND ji.lease_owner = \(owner) AND ji.lease_attempt = u.lease_attempt
                        """)
                    return written == items.count
                case .accepted(let requestID):
                    try tx.execute("UPDATE job_items SET request_id = \(requestID), submitted_at = \(nowText) WHERE id = ANY(\(ids))")
                    return true
                case .none:
                    try tx.execute("""
                        UPDATE job_items SET request_id = NULL, submitted_at = NULL
                        WHERE id = ANY(\(ids)) AND lease_owner = \(owner) AND state = \(Self.running)
                        """)
                    return true
                }
            }
        }
    }

    func closeJobIfDone(_ id: Int64, at clock: @autoclosure () -> Date, decide: (JobClosing) -> RenderJob.State) throws -> RenderJob.State? {
        try write { tx in
            let waiting = try tx.one(
                "SELECT COUNT(*) FROM job_items WHERE job_id = \(id) AND state IN (\(Self.queued), \(Self.running))", as: Int64.self) ?? 0
            guard waiting == 0 else { return nil }
            let current = try tx.one("SELECT state FROM jobs WHERE id = \(id)", as: String.self).flatMap(RenderJob.State.init) ?? .failed
            // Closed already (by another box, or cancelled): it stays as it is.
            guard current == .running || current == .queued else { return current }
            let unsuccessful = try tx.one(
                "SELECT COUNT(*) FROM job_items WHERE job_id = \(id) AND state = ANY(\(JobClosing.unsuccessful.map(\.rawValue)))", as: Int64.self) ?? 0
            let state = decide(JobClosing(current: current, unsuccessfulItems: Int(unsuccessful)))
            try tx.execute("UPDATE jobs SET state = \(state.rawValue), finished_at = \(StoredDate.text(clock())) WHERE id = \(id)")
            return state
        }
    }

    func hasClaimableItems(jobID: Int64) throws -> Bool {
        try read { tx in
            try tx.one("SELECT EXISTS (SELECT 1 FROM job_items WHERE job_id = \(jobID) AND state = \(Self.queued))", as: Bool.self) ?? false
        }
    }

    func workers() throws -> [RenderWorker] {
        try read { tx in
            try tx.rows("""
                SELECT w.name, w.host, w.pid, w.state, w.started_at, EXTRACT(EPOCH FROM now() - w.heartbeat_at)::float8,
                    (SELECT COUNT(*) FROM job_items ji WHERE ji.lease_owner = w.owner AND ji.state = \(Self.running)
                        AND ji.lease_expires_at > now()),
                    w.renders_done, w.lost_leases
                FROM workers w ORDER BY w.heartbeat_at DESC, w.owner
                """
            ).map { row in
                RenderWorker(
                    name: try row.string(0), host: try row.string(1), pid: try row.int(2),
                    state: RenderWorker.State(rawValue: try row.string(3)) ?? .stopped, startedAt: try row.at(4, as: Date.self),
                    heartbeatAge: max(0, try row.at(5, as: Double.self)), inFlight: try row.int(6), rendersDone: try row.int(7),
                    lostLeases: try row.int(8))
            }
        }
    }

    func unregisterWorker() throws {
        try session.writeOutsideTurn { tx in
            try tx.execute(
                "UPDATE workers SET state = \(RenderWorker.State.stopped.rawValue), stopped_at = now(), heartbeat_at = now() WHERE owner = \(owner)")
        }
    }
}
