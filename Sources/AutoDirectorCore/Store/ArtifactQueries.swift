import Foundation
import GRDB

extension ProjectStore {
    /// Records a rendered artifact for its spec hash; the first one stored for a hash wins, as
    /// the cache is content-addressed.
    func insertArtifact(_ artifact: Artifact, compiledPrompt: String?) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO artifacts
                    (hash, path, image_sha256, mime, width, height, byte_count, provider, compiled_prompt, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    artifact.hash, artifact.path, artifact.imageSHA256, artifact.mime, artifact.width, artifact.height,
                    artifact.byteCount, artifact.provider, compiledPrompt, artifact.createdAt,
                ])
        }
    }

    func artifact(for hash: String) throws -> Artifact? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM artifacts WHERE hash = ?", arguments: [hash]).map { row in
                Artifact(
                    hash: row["hash"], path: row["path"], imageSHA256: row["image_sha256"], mime: row["mime"], width: row["width"],
                    height: row["height"], byteCount: row["byte_count"], provider: row["provider"], createdAt: row["created_at"])
            }
        }
    }
}
