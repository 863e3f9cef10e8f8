import GRDB

/// The database schema as a list of named, versioned migrations (SPEC §6). A migration once
/// released is never edited: changes come as new steps appended here.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: """
                CREATE TABLE batches (
                    id TEXT PRIMARY KEY,
                    source_name TEXT NOT NULL,
                    source_sha256 TEXT NOT NULL,
                    format TEXT NOT NULL,
                    header TEXT NOT NULL,          -- JSON array of column names (CSV)
                    mapping TEXT NOT NULL,         -- JSON {"shot_id": column, "subject": column}
                    row_count INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    preset TEXT,
                    planned_at TEXT
                );
                -- The rows verbatim, in chunks of a thousand: a JSON array of [line, row] where row is
                -- the CSV cells as a JSON array or the storyboard record. Chunks keep a 100k-row
                -- ingest to a hundred inserts.
                CREATE TABLE batch_chunks (
                    batch_id TEXT NOT NULL REFERENCES batches(id),
                    chunk INTEGER NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (batch_id, chunk)
                );
                -- Every shot id of the project, registered at ingest so that ids stay unique across
                -- batches; a shot is planned once it has versions.
                CREATE TABLE shots (
                    id TEXT PRIMARY KEY,
                    batch_id TEXT NOT NULL REFERENCES batches(id),
                    ordinal INTEGER NOT NULL,      -- position in the batch file
                    line INTEGER NOT NULL,
                    subject TEXT NOT NULL
                ) WITHOUT ROWID;
                -- A spec is stored as its identity (per version) and its look (shared by every shot
                -- planned by the same rules and preset); reasons likewise. See SpecParts.
                CREATE TABLE looks (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,      -- SHA-256 of json
                    json TEXT NOT NULL             -- canonical JSON: the spec without shot_id, subject, attributes, seed
                );
                CREATE TABLE rule_sets (
                    id INTEGER PRIMARY KEY,
                    key TEXT NOT NULL UNIQUE,      -- SHA-256 of json
                    json TEXT NOT NULL             -- JSON array of {kind, id, reason}
                );
                CREATE TABLE versions (
                    shot_id TEXT NOT NULL REFERENCES shots(id),
                    number INTEGER NOT NULL,
                    hash TEXT NOT NULL,            -- SHA-256 of the whole canonical spec (identity + look + seed)
                    parent_hash TEXT,
                    seed INTEGER NOT NULL,
                    identity TEXT,                 -- canonical JSON of shot_id, subject, attributes; NULL: as the source row gives them
                    look_id INTEGER NOT NULL REFERENCES looks(id),
                    rule_set_id INTEGER NOT NULL REFERENCES rule_sets(id),
                    origin TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    review TEXT NOT NULL DEFAULT 'pending',
                    review_note TEXT,
                    reviewer TEXT,
                    reviewed_at TEXT,
                    PRIMARY KEY (shot_id, number)  -- the latest version is MAX(number)
                ) WITHOUT ROWID;
                CREATE TABLE review_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    action_id INTEGER NOT NULL,    -- entries of one (bulk) action share it; undo works per action
                    shot_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    previous_status TEXT NOT NULL,
                    note TEXT,
                    reviewer TEXT NOT NULL,
                    at TEXT NOT NULL,
                    undoes_action INTEGER
                );
                CREATE INDEX review_log_by_shot ON review_log(shot_id, version);
                CREATE TABLE artifacts (
                    hash TEXT PRIMARY KEY,         -- the spec hash it renders
                    path TEXT NOT NULL,            -- relative to the project directory
                    image_sha256 TEXT NOT NULL,
                    mime TEXT NOT NULL,
                    width INTEGER,
                    height INTEGER,
                    byte_count INTEGER NOT NULL,
                    provider TEXT NOT NULL,
                    provider_meta TEXT,
                    compiled_prompt TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    state TEXT NOT NULL,
                    provider TEXT,
                    force INTEGER NOT NULL DEFAULT 0,
                    total INTEGER NOT NULL,
                    reason TEXT,
                    created_at TEXT NOT NULL,
                    started_at TEXT,
                    finished_at TEXT
                );
                CREATE TABLE job_items (
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    shot_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    request_id TEXT,
                    started_at TEXT,
                    finished_at TEXT,
                    duration_ms INTEGER,
                    PRIMARY KEY (job_id, shot_id, version)
                );
                CREATE INDEX job_items_by_version ON job_items(shot_id, version);
                """)
        }
        // Remote renders: when a submit left, before its answer (see `SubmissionJournal`).
        migrator.registerMigration("v2-submissions") { db in
            try db.execute(sql: "ALTER TABLE job_items ADD COLUMN submitted_at TEXT")
        }
        // 100k renders of a handful of images: an artifact becomes a narrow render row per spec
        // hash pointing at one image row per file, instead of 100k copies of the file's path,
        // digest and size; `artifacts` stays readable as a view. Job items get an id of their
        // own (kept by VACUUM, unlike an implicit rowid) so that runs of items can be finished
        // by id ranges.
        migrator.registerMigration("v3-images") { db in
            try db.execute(sql: """
                CREATE TABLE images (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE,
                    path TEXT NOT NULL,            -- relative to the project directory
                    mime TEXT NOT NULL,
                    width INTEGER,
                    height INTEGER,
                    byte_count INTEGER NOT NULL
                );
                -- A rowid table with the hash in an index: renders are appended in the order they
                -- finish, and only the narrow index takes random spec-hash keys (a table keyed by
                -- the hash would rewrite most of its pages at every commit of a large job). The
                -- image reference is checked at commit, so that a many-row insert needs no
                -- statement journal.
                CREATE TABLE renders (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL UNIQUE,     -- the spec hash it renders
                    image_id INTEGER NOT NULL REFERENCES images(id) DEFERRABLE INITIALLY DEFERRED,
                    provider TEXT NOT NULL,
                    provider_meta TEXT,
                    compiled_prompt TEXT,
                    created_at TEXT NOT NULL
                );
                -- One image per digest, copied whole from its first artifact row (SQLite takes the
                -- bare columns of a MIN() aggregate from the row that holds the minimum).
                INSERT INTO images (sha256, path, mime, width, height, byte_count)
                    SELECT image_sha256, path, mime, width, height, byte_count FROM (
                        SELECT image_sha256, path, mime, width, height, byte_count, MIN(rowid) AS first
                        FROM artifacts GROUP BY image_sha256
                    ) ORDER BY first;
                INSERT INTO renders (hash, image_id, provider, provider_meta, compiled_prompt, created_at)
                    SELECT a.hash, i.id, a.provider, a.provider_meta, a.compiled_prompt, a.created_at
                    FROM artifacts a JOIN images i ON i.sha256 = a.image_sha256 ORDER BY a.rowid;
                DROP TABLE artifacts;
                CREATE VIEW artifacts AS
                    SELECT r.hash, i.path, i.sha256 AS image_sha256, i.mime, i.width, i.height, i.byte_count, r.provider,
                        r.provider_meta, r.compiled_prompt, r.created_at
                    FROM renders r JOIN images i ON i.id = r.image_id;
                -- A process of an earlier version still open on the project (a TUI left running
                -- across an upgrade) inserts into `artifacts`: it keeps working.
                CREATE TRIGGER artifacts_insert INSTEAD OF INSERT ON artifacts BEGIN
                    INSERT OR IGNORE INTO images (sha256, path, mime, width, height, byte_count)
                        VALUES (NEW.image_sha256, NEW.path, NEW.mime, NEW.width, NEW.height, NEW.byte_count);
                    INSERT OR IGNORE INTO renders (hash, image_id, provider, provider_meta, compiled_prompt, created_at)
                        VALUES (NEW.hash, (SELECT id FROM images WHERE sha256 = NEW.image_sha256), NEW.provider,
                            NEW.provider_meta, NEW.compiled_prompt, NEW.created_at);
                END;

                CREATE TABLE job_items_v3 (
                    id INTEGER PRIMARY KEY,        -- queue order within a job
                    job_id INTEGER NOT NULL REFERENCES jobs(id),
                    shot_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    hash TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    request_id TEXT,
                    started_at TEXT,
                    finished_at TEXT,
                    duration_ms INTEGER,
                    submitted_at TEXT,
                    UNIQUE (job_id, shot_id, version)
                );
                INSERT INTO job_items_v3 (id, job_id, shot_id, version, hash, state, attempts, error, request_id, started_at,
                        finished_at, duration_ms, submitted_at)
                    SELECT rowid, job_id, shot_id, version, hash, state, attempts, error, request_id, started_at,
                        finished_at, duration_ms, submitted_at
                    FROM job_items;
                DROP TABLE job_items;
                ALTER TABLE job_items_v3 RENAME TO job_items;
                CREATE INDEX job_items_by_version ON job_items(shot_id, version);
                -- A job's items in queue order (the index holds the id): the render engine reads
                -- them so without sorting 100k rows.
                CREATE INDEX job_items_by_job ON job_items(job_id);
                """)
        }
        // The planning files (defaults, rules, preset) each batch was last planned with, so that a
        // shared project's other machines plan it again from the same files (SPEC §16). Files are
        // kept once by content.
        migrator.registerMigration("v4-plan-files") { db in
            try db.execute(sql: """
                CREATE TABLE plan_files (
                    sha256 TEXT PRIMARY KEY,       -- of the text's UTF-8 bytes
                    text TEXT NOT NULL
                );
                CREATE TABLE batch_plan_files (
                    batch_id TEXT NOT NULL REFERENCES batches(id),
                    path TEXT NOT NULL,            -- as in the project directory: rules/rules.json, presets/ID.json
                    sha256 TEXT NOT NULL REFERENCES plan_files(sha256),
                    PRIMARY KEY (batch_id, path)
                );
                """)
        }
        // Notes on a version (SPEC §17): threads one level deep, optionally pinned on the image
        // (a point, or a rectangle with its width and height; image coordinates 0…1). A retake's
        // note is one (`action_id`: the review action that wrote it). Every change of a note's
        // state is logged; the note keeps its latest.
        migrator.registerMigration("v5-notes") { db in
            try db.execute(sql: """
                CREATE TABLE notes (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    shot_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    parent_id INTEGER REFERENCES notes(id),  -- a reply: the thread's first note
                    author TEXT NOT NULL,
                    body TEXT NOT NULL,
                    pin_x REAL,
                    pin_y REAL,
                    pin_w REAL,                    -- with pin_h: a rectangle; without: a point
                    pin_h REAL,
                    action_id INTEGER,
                    state TEXT NOT NULL,           -- open, resolved, withdrawn (its retake undone)
                    created_at TEXT NOT NULL,
                    changed_by TEXT,               -- who set the state, and when
                    changed_at TEXT
                );
                CREATE INDEX notes_by_version ON notes(shot_id, version);
                CREATE INDEX notes_by_action ON notes(action_id) WHERE action_id IS NOT NULL;
                CREATE TABLE note_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    note_id INTEGER NOT NULL REFERENCES notes(id),
                    state TEXT NOT NULL,
                    reviewer TEXT NOT NULL,
                    at TEXT NOT NULL
                );
                CREATE INDEX note_log_by_note ON note_log(note_id);
                """)
        }
        // Who reviews a shot (SPEC §17): one reviewer per shot at most; every change logged.
        migrator.registerMigration("v6-assignments") { db in
            try db.execute(sql: """
                CREATE TABLE assignments (
                    shot_id TEXT PRIMARY KEY REFERENCES shots(id),
                    assignee TEXT NOT NULL,
                    assigned_by TEXT NOT NULL,
                    assigned_at TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX assignments_by_assignee ON assignments(assignee);
                CREATE TABLE assignment_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    shot_id TEXT NOT NULL,
                    assignee TEXT,                 -- NULL: unassigned
                    reviewer TEXT NOT NULL,        -- who did it
                    at TEXT NOT NULL
                );
                CREATE INDEX assignment_log_by_shot ON assignment_log(shot_id);
                """)
        }
        // Approval stages (SPEC §17): the project's settings (`stages = art, brand`), the stages
        // that have approved each version, and in the log the stage a decision was made at with
        // the stages before and after it (undo restores them).
        migrator.registerMigration("v7-stages") { db in
            try db.execute(sql: """
                CREATE TABLE settings (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) WITHOUT ROWID;
                ALTER TABLE versions ADD COLUMN approved_stages TEXT NOT NULL DEFAULT '';  -- names, comma-separated
                ALTER TABLE review_log ADD COLUMN stage TEXT;
                ALTER TABLE review_log ADD COLUMN stages TEXT NOT NULL DEFAULT '';
                ALTER TABLE review_log ADD COLUMN previous_stages TEXT NOT NULL DEFAULT '';
                """)
        }
        // Each reviewer's latest visit to the project (the TUI's start), for "new since I last
        // looked" (SPEC §17).
        migrator.registerMigration("v8-visits") { db in
            try db.execute(sql: """
                CREATE TABLE visits (
                    reviewer TEXT PRIMARY KEY,
                    seen_at TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // The provider calls no job item records, and the renders that came out other (SPEC §18).
        // `direct_renders`: a render made outside a job (a seed variant, serve's single render),
        // billed like a job's items; `generation` is its spec's generation member (compact JSON,
        // NULL: the defaults), which prices it. `render_drifts`: a forced re-render of a hash
        // whose picture differed from the one stored, which stays the hash's: FIBO did not
        // reproduce it, and `explain`, the TUI and the export say so.
        migrator.registerMigration("v9-render-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE direct_renders (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL,
                    generation TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE render_drifts (
                    id INTEGER PRIMARY KEY,
                    hash TEXT NOT NULL,
                    image_sha256 TEXT NOT NULL,
                    path TEXT NOT NULL,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX render_drifts_by_hash ON render_drifts(hash);
                """)
        }
        return migrator
    }

    /// Identifiers of the migrations a database has applied: its schema version.
    static func version(_ db: Database) throws -> String {
        let applied = try migrator.appliedIdentifiers(db)
        return migrator.migrations.last(where: applied.contains) ?? "none"
    }
}
