import Foundation
import GRDB

extension SQLiteStore {
    /// Records a rendered artifact for its spec hash; the first one stored for a hash wins, as
    /// the cache is content-addressed.
    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?) throws {
        try write { db in
            var rows = ArtifactRows(db)
            try rows.add(
                StoredArtifact(
                    hash: artifact.hash, path: artifact.path, imageSHA256: artifact.imageSHA256, mime: artifact.mime, width: artifact.width,
                    height: artifact.height, byteCount: artifact.byteCount, provider: artifact.provider, metadata: nil,
                    compiledPrompt: compiledPrompt),
                createdAt: String.fromDatabaseValue(artifact.createdAt.databaseValue) ?? "")
            try rows.flush()
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
