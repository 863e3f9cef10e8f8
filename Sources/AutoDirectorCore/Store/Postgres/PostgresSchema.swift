import PostgresNIO

/// A shared project's schema as named steps, as on SQLite (`Schema`): a step once released is
/// never edited, changes come as new steps, and a database that applied a step this version does
/// not know was written by a newer AutoDirector and is refused. The tables mirror SQLite's at
/// its latest step (`v6-assignments`), so both stores hold the same values and `migrate` copies rows
/// as they are. Text columns sort as bytes (`COLLATE "C"`), as SQLite's do, so that every order
/// — and every export — is the same on both.
enum PostgresSchema {
    struct Step {
        var identifier: String
        var sql: String
    }

    static let steps: [Step] = [
        Step(identifier: "pg1-core", sql: """
            CREATE TABLE project_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                generation BIGINT NOT NULL,     -- bumped by every write transaction (see PostgresSession)
                writer TEXT NOT NULL            -- the process that made the latest one
            );
            INSERT INTO project_state (id, generation, writer) VALUES (1, 0, '');
            CREATE TABLE batches (
                id TEXT PRIMARY KEY,
                source_name TEXT NOT NULL,
                source_sha256 TEXT NOT NULL,
                format TEXT NOT NULL,
                header TEXT NOT NULL,
                mapping TEXT NOT NULL,
                row_count BIGINT NOT NULL,
                created_at TEXT NOT NULL,
                preset TEXT,
                planned_at TEXT
            );
            CREATE TABLE batch_chunks (
                batch_id TEXT NOT NULL REFERENCES batches(id),
                chunk BIGINT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (batch_id, chunk)
            );
            CREATE TABLE shots (
                id TEXT PRIMARY KEY,
                batch_id TEXT NOT NULL REFERENCES batches(id),
                ordinal BIGINT NOT NULL,
                line BIGINT NOT NULL,
                subject TEXT NOT NULL
            );
            CREATE INDEX shots_by_batch ON shots (batch_id, ordinal);
            CREATE TABLE looks (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
            CREATE TABLE rule_sets (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL UNIQUE, json TEXT NOT NULL);
            CREATE TABLE versions (
                shot_id TEXT NOT NULL REFERENCES shots(id),
                number BIGINT NOT NULL,
                hash TEXT NOT NULL,
                parent_hash TEXT,
                seed BIGINT NOT NULL,
                identity TEXT,
                -- No foreign keys to looks and rule_sets: they halve the COPY of a 100k plan (a
                -- trigger per row each), and both ids come from the writer that inserted or read
                -- them in the same transaction (rows there are never deleted). integrityCheck
                -- checks them.
                look_id BIGINT NOT NULL,
                rule_set_id BIGINT NOT NULL,
                origin TEXT NOT NULL,
                created_at TEXT NOT NULL,
                review TEXT NOT NULL DEFAULT 'pending',
                review_note TEXT,
                reviewer TEXT,
                reviewed_at TEXT,
                PRIMARY KEY (shot_id, number)
            );
            CREATE INDEX versions_by_hash ON versions (hash);
            CREATE TABLE review_log (
                id BIGSERIAL PRIMARY KEY,
                action_id BIGINT NOT NULL,
                shot_id TEXT NOT NULL,
                version BIGINT NOT NULL,
                status TEXT NOT NULL,
                previous_status TEXT NOT NULL,
                note TEXT,
                reviewer TEXT NOT NULL,
                at TEXT NOT NULL,
                undoes_action BIGINT
            );
            CREATE INDEX review_log_by_shot ON review_log (shot_id, version);
            CREATE INDEX review_log_by_action ON review_log (action_id);
            CREATE INDEX review_log_by_undo ON review_log (undoes_action) WHERE undoes_action IS NOT NULL;
            CREATE TABLE images (
                id BIGSERIAL PRIMARY KEY,
                sha256 TEXT NOT NULL UNIQUE,
                path TEXT NOT NULL,
                mime TEXT NOT NULL,
                width BIGINT,
                height BIGINT,
                byte_count BIGINT NOT NULL
            );
            CREATE TABLE renders (
                id BIGSERIAL PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,
                image_id BIGINT NOT NULL REFERENCES images(id),
                provider TEXT NOT NULL,
                provider_meta TEXT,
                compiled_prompt TEXT,
                created_at TEXT NOT NULL
            );
            CREATE VIEW artifacts AS
                SELECT r.hash, i.path, i.sha256 AS image_sha256, i.mime, i.width, i.height, i.byte_count, r.provider,
                    r.provider_meta, r.compiled_prompt, r.created_at
                FROM renders r JOIN images i ON i.id = r.image_id;
            CREATE TABLE jobs (
                id BIGSERIAL PRIMARY KEY,
                state TEXT NOT NULL,
                provider TEXT,
                force BIGINT NOT NULL DEFAULT 0,
                total BIGINT NOT NULL,
                reason TEXT,
                created_at TEXT NOT NULL,
                started_at TEXT,
                finished_at TEXT
            );
            CREATE TABLE job_items (
                id BIGSERIAL PRIMARY KEY,
                job_id BIGINT NOT NULL REFERENCES jobs(id),
                shot_id TEXT NOT NULL,
                version BIGINT NOT NULL,
                hash TEXT NOT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                error TEXT,
                request_id TEXT,
                started_at TEXT,
                finished_at TEXT,
                duration_ms BIGINT,
                submitted_at TEXT,
                UNIQUE (job_id, shot_id, version)
            );
            CREATE INDEX job_items_by_version ON job_items (shot_id, version);
            CREATE INDEX job_items_by_job ON job_items (job_id, id);
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // As SQLite's `v4-plan-files`: the planning files each batch was last planned with.
        Step(identifier: "pg2-plan-files", sql: """
            CREATE TABLE plan_files (
                sha256 TEXT PRIMARY KEY,
                text TEXT NOT NULL
            );
            CREATE TABLE batch_plan_files (
                batch_id TEXT NOT NULL REFERENCES batches(id),
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL REFERENCES plan_files(sha256),
                PRIMARY KEY (batch_id, path)
            );
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // The render queue across machines (SPEC §16, `RenderLeases`): an item being rendered
        // carries a lease (its box, the claim's attempt number, when it expires on the
        // database's clock), and each box keeps a row with its heartbeat and counts.
        Step(identifier: "pg3-render-leases", sql: """
            ALTER TABLE job_items ADD COLUMN lease_owner TEXT, ADD COLUMN lease_attempt BIGINT NOT NULL DEFAULT 0,
                ADD COLUMN lease_expires_at TIMESTAMPTZ, ADD COLUMN rendered_by TEXT;
            CREATE INDEX job_items_leased ON job_items (lease_expires_at) WHERE state = 'running';
            CREATE INDEX job_items_queued ON job_items (job_id, id) WHERE state = 'queued';
            CREATE TABLE workers (
                owner TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                host TEXT NOT NULL,
                pid BIGINT NOT NULL,
                state TEXT NOT NULL,
                started_at TIMESTAMPTZ NOT NULL,
                heartbeat_at TIMESTAMPTZ NOT NULL,
                stopped_at TIMESTAMPTZ,
                renders_done BIGINT NOT NULL DEFAULT 0,
                lost_leases BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE rate_limits (
                endpoint TEXT PRIMARY KEY,
                theoretical_arrival TIMESTAMPTZ NOT NULL
            );
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // The render farm's queue, measured (`bench cluster`, `bench shared`): the request
        // schedule is worth no fsync (a transaction that writes only unlogged tables commits
        // without waiting for the disk, and a schedule a crash empties only lets the next
        // requests leave at once; Bria's own limit still answers 429); and a claim finds the
        // queued items sharing a picked hash by index instead of reading every queued item of
        // the job (54 ms per claim at 100k queued, 7 ms with it).
        Step(identifier: "pg4-farm-queue", sql: """
            ALTER TABLE rate_limits SET UNLOGGED;
            CREATE INDEX job_items_queued_by_hash ON job_items (job_id, hash) WHERE state = 'queued';
            """),
        // The claim's pick (`ORDER BY id LIMIT n` of a job's queued items) on an index of queued
        // items only, so it never reads the items already done: with statistics taken while a
        // job was all queued, the planner preferred the primary key and skipped every done item
        // of the job on each claim (tens of ms at 50k done; `bench shared`, auto_explain).
        Step(identifier: "pg5-queue-order", sql: """
            CREATE INDEX job_items_queued_ids ON job_items (id) WHERE state = 'queued';
            """),
        // As SQLite's `v5-notes`: notes on a version, pinned or not, and their state changes.
        Step(identifier: "pg6-notes", sql: """
            CREATE TABLE notes (
                id BIGSERIAL PRIMARY KEY,
                shot_id TEXT NOT NULL,
                version BIGINT NOT NULL,
                parent_id BIGINT REFERENCES notes(id),
                author TEXT NOT NULL,
                body TEXT NOT NULL,
                pin_x DOUBLE PRECISION,
                pin_y DOUBLE PRECISION,
                pin_w DOUBLE PRECISION,
                pin_h DOUBLE PRECISION,
                action_id BIGINT,
                state TEXT NOT NULL,
                created_at TEXT NOT NULL,
                changed_by TEXT,
                changed_at TEXT
            );
            CREATE INDEX notes_by_version ON notes (shot_id, version);
            CREATE INDEX notes_by_action ON notes (action_id) WHERE action_id IS NOT NULL;
            CREATE TABLE note_log (
                id BIGSERIAL PRIMARY KEY,
                note_id BIGINT NOT NULL REFERENCES notes(id),
                state TEXT NOT NULL,
                reviewer TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX note_log_by_note ON note_log (note_id);
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // As SQLite's `v6-assignments`: who reviews each shot, and the log of its changes.
        Step(identifier: "pg7-assignments", sql: """
            CREATE TABLE assignments (
                shot_id TEXT PRIMARY KEY REFERENCES shots(id),
                assignee TEXT NOT NULL,
                assigned_by TEXT NOT NULL,
                assigned_at TEXT NOT NULL
            );
            CREATE INDEX assignments_by_assignee ON assignments (assignee);
            CREATE TABLE assignment_log (
                id BIGSERIAL PRIMARY KEY,
                shot_id TEXT NOT NULL,
                assignee TEXT,
                reviewer TEXT NOT NULL,
                at TEXT NOT NULL
            );
            CREATE INDEX assignment_log_by_shot ON assignment_log (shot_id);
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // As SQLite's `v7-stages`: the project's settings and each version's approved stages.
        Step(identifier: "pg8-stages", sql: """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            ALTER TABLE versions ADD COLUMN approved_stages TEXT NOT NULL DEFAULT '';
            ALTER TABLE review_log ADD COLUMN stage TEXT;
            ALTER TABLE review_log ADD COLUMN stages TEXT NOT NULL DEFAULT '';
            ALTER TABLE review_log ADD COLUMN previous_stages TEXT NOT NULL DEFAULT '';
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // As SQLite's `v8-visits`: each reviewer's latest visit.
        Step(identifier: "pg9-visits", sql: """
            CREATE TABLE visits (
                reviewer TEXT PRIMARY KEY,
                seen_at TEXT NOT NULL
            );
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
        // As SQLite's `v9-render-ledger`: renders made outside a job, and forced re-renders
        // whose picture came out other.
        Step(identifier: "pg10-render-ledger", sql: """
            CREATE TABLE direct_renders (
                id BIGSERIAL PRIMARY KEY,
                hash TEXT NOT NULL,
                generation TEXT,
                created_at TEXT NOT NULL
            );
            CREATE TABLE render_drifts (
                id BIGSERIAL PRIMARY KEY,
                hash TEXT NOT NULL,
                image_sha256 TEXT NOT NULL,
                path TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX render_drifts_by_hash ON render_drifts (hash);
            """.replacingOccurrences(of: " TEXT", with: " TEXT COLLATE \"C\"")),
    ]

    static var identifiers: [String] { steps.map(\.identifier) }

    /// Brings the database to the latest step; `onUpgrade` hears of the steps an existing
    /// database is about to go through. Migrations of concurrent processes take turns under an
    /// advisory lock, and each step commits with its record, so an interrupted one left nothing.
    static func migrate(_ session: PostgresSession, onUpgrade: (@Sendable ([String]) -> Void)?) throws {
        try session.withConnection { connection in
            let transaction = PostgresTransaction(connection: connection, logger: session.logger)
            try transaction.execute("BEGIN")
            do {
                try transaction.execute("SELECT pg_advisory_xact_lock(\(lockKey))")
                try createMigrationsTable(transaction)
                let applied = Set(try transaction.column("SELECT identifier FROM autodirector_migrations", as: String.self))
                let unknown = applied.subtracting(identifiers)
                if !unknown.isEmpty { throw StoreError.newerSchema(session.url.description, unknown.sorted()) }
                let pending = steps.filter { !applied.contains($0.identifier) }
                if !applied.isEmpty && !pending.isEmpty { onUpgrade?(pending.map(\.identifier)) }
                try apply(pending, transaction)
                try transaction.execute("COMMIT")
            } catch {
                _ = try? transaction.execute("ROLLBACK")
                throw error
            }
        }
    }

    static func createMigrationsTable(_ transaction: PostgresTransaction) throws {
        try transaction.execute(
            "CREATE TABLE IF NOT EXISTS autodirector_migrations (identifier TEXT COLLATE \"C\" PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
    }

    /// Runs the steps and records each, inside the caller's transaction (which holds the
    /// advisory lock): `migrate`, and `ProjectMigration`, which creates the schema in the same
    /// transaction as the rows it copies.
    static func apply(_ steps: [Step], _ transaction: PostgresTransaction) throws {
        for step in steps {
            // One statement per message: the extended protocol takes no more.
            for statement in step.sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                try transaction.execute(PostgresQuery(unsafeSQL: String(statement)))
            }
            try transaction.execute("INSERT INTO autodirector_migrations (identifier) VALUES (\(step.identifier))")
        }
    }

    /// The latest step applied.
    static func version(_ transaction: PostgresTransaction) throws -> String {
        let applied = Set(try transaction.column("SELECT identifier FROM autodirector_migrations", as: String.self))
        return identifiers.last(where: applied.contains) ?? "none"
    }

    /// The advisory lock migrations take turns under ("AUTODIRE" in ASCII).
    static let lockKey: Int64 = 0x4155_544F_4449_5245
}
