import GRDB

/// Writes artifacts as the schema keeps them (migration `v3-images`): one `images` row per image
/// file, and one narrow `renders` row per spec hash pointing at it. A mock job of 100k shots with
/// a handful of looks writes a handful of image rows. Use inside a write transaction; the first
/// render stored for a hash wins, as the cache is content-addressed.
struct ArtifactRows {
    private let db: Database
    private var imageIDs: [String: Int64] = [:]
    private var renders: BatchedInsert
    private var seen: Set<String> = []

    /// The pictures the hashes of a forced job's renders have already (`pictures(of:)`): one
    /// that came out other is recorded as a drift, and the stored one stays.
    private let storedPictures: [String: String]

    init(_ db: Database, storedPictures: [String: String] = [:]) {
        self.db = db
        self.storedPictures = storedPictures
        renders = BatchedInsert(
            db, table: "renders", columns: ["hash", "image_id", "provider", "provider_meta", "compiled_prompt", "created_at"],
            verb: "INSERT OR IGNORE")
    }

    /// The picture (its SHA-256) each of these hashes has, in one statement.
    static func pictures(of hashes: [String], _ db: Database) throws -> [String: String] {
        guard !hashes.isEmpty else { return [:] }
        var pictures: [String: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT hash, image_sha256 FROM artifacts WHERE hash IN (SELECT value FROM json_each(?))",
            arguments: [SQLiteList.argument(hashes)])
        {
            pictures[row[0]] = row[1]
        }
        return pictures
    }

    mutating func add(_ artifact: StoredArtifact, createdAt: String) throws {
        guard seen.insert(artifact.hash).inserted else { return }
        if let stored = storedPictures[artifact.hash] {
            if stored != artifact.imageSHA256 {
                try db.execute(
                    sql: "INSERT INTO render_drifts (hash, image_sha256, path, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [artifact.hash, artifact.imageSHA256, artifact.path, createdAt])
            }
            return
        }
        guard let imageID = try imageID(for: artifact) else { return }
        try renders.add(
            .text(artifact.hash), .int(imageID), .text(artifact.provider), artifact.metadata.map { .text($0) } ?? .null,
            artifact.compiledPrompt.map { .text($0) } ?? .null, .text(createdAt))
    }

    /// Writes the rows still buffered.
    mutating func flush() throws {
        try renders.flush()
    }

    /// The image row for the artifact's file, stored if new; nil when the hash already has a
    /// render (its first one wins), so that a new image nothing would point at is not stored.
    private mutating func imageID(for artifact: StoredArtifact) throws -> Int64? {
        if let id = imageIDs[artifact.imageSHA256] { return id }
        let id: Int64
        if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM images WHERE sha256 = ?", arguments: [artifact.imageSHA256]) {
            id = existing
        } else {
            // Rare enough to check here: a forced re-render, or another process that stored the
            // same hash first. A mock job stores a handful of new images.
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM renders WHERE hash = ?)", arguments: [artifact.hash]) == true {
                return nil
            }
            try db.execute(
                sql: "INSERT INTO images (sha256, path, mime, width, height, byte_count) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [artifact.imageSHA256, artifact.path, artifact.mime, artifact.width, artifact.height, artifact.byteCount])
            id = db.lastInsertedRowID
        }
        imageIDs[artifact.imageSHA256] = id
        return id
    }
}
