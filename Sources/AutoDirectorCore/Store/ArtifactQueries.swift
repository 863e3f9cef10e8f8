import Foundation
import GRDB

extension SQLiteStore {
    /// Records a rendered artifact for its spec hash; the first one stored for a hash wins, as
    /// the cache is content-addressed. A render made outside a job records its provider call
    /// (`call`) in the same transaction.
    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?, call: DirectRenderCall?) throws {
        try write { db in
            let createdAt = String.fromDatabaseValue(artifact.createdAt.databaseValue) ?? ""
            var rows = ArtifactRows(db)
            try rows.add(
                StoredArtifact(
                    hash: artifact.hash, path: artifact.path, imageSHA256: artifact.imageSHA256, mime: artifact.mime, width: artifact.width,
                    height: artifact.height, byteCount: artifact.byteCount, provider: artifact.provider, metadata: artifact.providerMeta,
                    compiledPrompt: compiledPrompt),
                createdAt: createdAt)
            try rows.flush()
            if let call {
                try db.execute(
                    sql: "INSERT INTO direct_renders (hash, generation, created_at) VALUES (?, ?, ?)",
                    arguments: [artifact.hash, call.generation, createdAt])
            }
        }
    }

    func renderDrifts(of hashes: [String]?) throws -> [String: [RenderDriftRecord]] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT hash, image_sha256, path, created_at FROM render_drifts
                    WHERE ? IS NULL OR hash IN (SELECT value FROM json_each(?)) ORDER BY id
                    """,
                arguments: [hashes.map(SQLiteList.argument), hashes.map(SQLiteList.argument)])
            return Dictionary(grouping: rows.map { row in
                RenderDriftRecord(hash: row[0], imageSHA256: row[1], path: row[2], createdAt: row[3])
            }, by: \.hash)
        }
    }

    func artifact(for hash: String) throws -> Artifact? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM artifacts WHERE hash = ?", arguments: [hash]).map { row in
                var artifact = Artifact(
                    hash: row["hash"], path: row["path"], imageSHA256: row["image_sha256"], mime: row["mime"], width: row["width"],
                    height: row["height"], byteCount: row["byte_count"], provider: row["provider"], createdAt: row["created_at"])
                artifact.providerMeta = row["provider_meta"]
                artifact.compiledPrompt = row["compiled_prompt"]
                return artifact
            }
        }
    }
}
