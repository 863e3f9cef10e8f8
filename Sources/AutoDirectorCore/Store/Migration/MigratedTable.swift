/// A table `migrate` copies from a SQLite project into PostgreSQL. Both schemas hold it with the
/// same name and columns (`PostgresSchema` mirrors `Schema`'s latest step), so its rows are
/// copied as they are, ids included.
struct MigratedTable: Sendable, Equatable {
    var name: String
    var columns: [String]
    /// Its `id` is a BIGSERIAL on PostgreSQL: the sequence must be moved past the copied ids, or
    /// the first insert after the migration would take an id that is already there.
    var hasSerialID: Bool
    /// Columns only the PostgreSQL table has (a render box's lease): a copied row starts with
    /// their defaults, as no box holds anything yet.
    var postgresOnlyColumns: [String] = []

    /// Every table of the project, parents before children so that each foreign key finds its
    /// row. `project_state` is PostgreSQL's own (created with the schema); SQLite's `artifacts`
    /// is a view over `renders` and `images`.
    static let all: [MigratedTable] = [
        MigratedTable(
            name: "batches",
            columns: ["id", "source_name", "source_sha256", "format", "header", "mapping", "row_count", "created_at", "preset", "planned_at"],
            hasSerialID: false),
        MigratedTable(name: "settings", columns: ["key", "value"], hasSerialID: false),
        MigratedTable(name: "batch_chunks", columns: ["batch_id", "chunk", "data"], hasSerialID: false),
        MigratedTable(name: "plan_files", columns: ["sha256", "text"], hasSerialID: false),
        MigratedTable(name: "batch_plan_files", columns: ["batch_id", "path", "sha256"], hasSerialID: false),
        MigratedTable(name: "shots", columns: ["id", "batch_id", "ordinal", "line", "subject"], hasSerialID: false),
        MigratedTable(name: "looks", columns: ["id", "key", "json"], hasSerialID: true),
        MigratedTable(name: "rule_sets", columns: ["id", "key", "json"], hasSerialID: true),
        MigratedTable(
            name: "versions",
            columns: [
                "shot_id", "number", "hash", "parent_hash", "seed", "identity", "look_id", "rule_set_id", "origin", "created_at", "review",
                "review_note", "reviewer", "reviewed_at", "approved_stages",
            ],
            hasSerialID: false),
        MigratedTable(
            name: "review_log",
            columns: [
                "id", "action_id", "shot_id", "version", "status", "previous_status", "note", "reviewer", "at", "undoes_action", "stage",
                "stages", "previous_stages",
            ],
            hasSerialID: true),
        MigratedTable(
            name: "notes",
            columns: [
                "id", "shot_id", "version", "parent_id", "author", "body", "pin_x", "pin_y", "pin_w", "pin_h", "action_id", "state",
                "created_at", "changed_by", "changed_at",
            ],
            hasSerialID: true),
        MigratedTable(name: "note_log", columns: ["id", "note_id", "state", "reviewer", "at"], hasSerialID: true),
        MigratedTable(name: "assignments", columns: ["shot_id", "assignee", "assigned_by", "assigned_at"], hasSerialID: false),
        MigratedTable(name: "assignment_log", columns: ["id", "shot_id", "assignee", "reviewer", "at"], hasSerialID: true),
        MigratedTable(name: "visits", columns: ["reviewer", "seen_at"], hasSerialID: false),
        MigratedTable(name: "images", columns: ["id", "sha256", "path", "mime", "width", "height", "byte_count"], hasSerialID: true),
        MigratedTable(
            name: "renders", columns: ["id", "hash", "image_id", "provider", "provider_meta", "compiled_prompt", "created_at"],
            hasSerialID: true),
        MigratedTable(
            name: "jobs", columns: ["id", "state", "provider", "force", "total", "reason", "created_at", "started_at", "finished_at"],
            hasSerialID: true),
        MigratedTable(
            name: "job_items",
            columns: [
                "id", "job_id", "shot_id", "version", "hash", "state", "attempts", "error", "request_id", "started_at", "finished_at",
                "duration_ms", "submitted_at",
            ],
            hasSerialID: true, postgresOnlyColumns: ["lease_owner", "lease_attempt", "lease_expires_at", "rendered_by"]),
        MigratedTable(name: "direct_renders", columns: ["id", "hash", "generation", "created_at"], hasSerialID: true),
        MigratedTable(name: "render_drifts", columns: ["id", "hash", "image_sha256", "path", "created_at"], hasSerialID: true),
    ]

    /// Everything the PostgreSQL schema creates: any of it in a database means it is not empty.
    static var targetRelations: [String] { all.map(\.name) + ["project_state", "artifacts", "workers", "rate_limits"] }
}
