import Foundation
import GRDB

extension SQLiteStore {
    /// Every version an export of the batch lists, in one query and in bundle order (source
    /// order, then version): the latest of each shot, or all of them. The shot count comes along.
    func exportedVersions(batchID: String, allVersions: Bool) throws -> (shots: Int, versions: [ExportedVersion]) {
        try read { db in
            let shots = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shots WHERE batch_id = ?", arguments: [batchID]) ?? 0
            let which = allVersions ? "" : " AND v.number = \(Self.latestNumberSQL)"
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT v.shot_id, v.number, v.hash, v.seed, v.review, v.reviewer, v.review_note,
                        \(Self.renderStatusSQL) AS render_status, a.path, a.mime, a.image_sha256,
                        a.provider, a.provider_meta, a.compiled_prompt, a.created_at
                    FROM shots s JOIN versions v ON v.shot_id = s.id\(which)
                    LEFT JOIN artifacts a ON a.hash = v.hash
                    WHERE s.batch_id = ?
                    ORDER BY s.ordinal, v.number
                    """,
                arguments: [batchID])
            var versions: [ExportedVersion] = []
            while let row = try rows.next() {
                let path: String? = row["path"]
                versions.append(ExportedVersion(
                    shotID: row["shot_id"], number: row["number"], hash: row["hash"],
                    seed: UInt32(truncatingIfNeeded: row["seed"] as Int64),
                    renderStatus: RenderStatus(jobItemState: row["render_status"]),
                    review: ReviewStatus(rawValue: row["review"]) ?? .pending, reviewer: row["reviewer"], note: row["review_note"],
                    image: path.map {
                        ExportedImage(
                            path: $0, mime: row["mime"] ?? "image/png", sha256: row["image_sha256"] ?? "", provider: row["provider"] ?? "",
                            providerMeta: row["provider_meta"], compiledPrompt: row["compiled_prompt"], renderedAt: row["created_at"])
                    }))
            }
            return (shots, versions)
        }
    }
}

extension Engine {
    /// The versions an export of `batchID` lists (see `VersionStore.exportedVersions`).
    public func exportedVersions(batchID: String, allVersions: Bool) throws -> (shots: Int, versions: [ExportedVersion]) {
        try store.exportedVersions(batchID: batchID, allVersions: allVersions)
    }
}
