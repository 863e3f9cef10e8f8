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
        return migrator
    }

    /// Identifiers of the migrations a database has applied: its schema version.
    static func version(_ db: Database) throws -> String {
        let applied = try migrator.appliedIdentifiers(db)
        return migrator.migrations.last(where: applied.contains) ?? "none"
    }
}
