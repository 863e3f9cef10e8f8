import Foundation
import GRDB
import Synchronization
import Testing
@testable import AutoDirectorCore

@Suite struct MigrationTests {
    /// A project written before `v3-images` keeps every artifact and job item: artifacts read the
    /// same through the view, an image shared by two hashes is stored once, and job items keep
    /// their queue order as ids.
    @Test func v2ProjectsMigrateWithoutLosingArtifactsOrJobItems() throws {
        let project = try TestProject()
        try FileManager.default.createDirectory(at: project.directory, withIntermediateDirectories: true)
        let path = project.directory.appendingPathComponent(SQLiteStore.fileName).path
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v2-submissions")
        let shared = String(repeating: "a", count: 64)
        let other = String(repeating: "b", count: 64)
        try old.write { db in
            try db.execute(sql: "INSERT INTO jobs (state, total, created_at) VALUES ('done', 3, '2026-01-01 00:00:00.000')")
            for (shot, state) in [("S1", "done"), ("S2", "cached"), ("S3", "failed")] {
                try db.execute(
                    sql: "INSERT INTO job_items (job_id, shot_id, version, hash, state, request_id) VALUES (1, ?, 1, ?, ?, ?)",
                    arguments: [shot, "h-\(shot)", state, shot == "S3" ? "req-3" : nil])
            }
            // A gap in the rowids, as deleted rows leave.
            try db.execute(sql: "DELETE FROM job_items WHERE shot_id = 'S2'")
            for (hash, image) in [("h1", shared), ("h2", shared), ("h3", other)] {
                try db.execute(
                    sql: """
                        INSERT INTO artifacts (hash, path, image_sha256, mime, width, height, byte_count, provider, provider_meta,
                        compiled_prompt, created_at) VALUES (?, ?, ?, 'image/png', 8, 4, 99, 'mock', ?, ?, '2026-01-01 00:00:00.000')
                        """,
                    arguments: [hash, "artifacts/\(image.prefix(2))/\(image).png", image, hash == "h3" ? "{\"x\":1}" : nil, hash == "h2" ? "{}" : nil])
            }
        }
        try old.close()

        let announced = Mutex<[String]?>(nil)
        let engine = try Engine(projectDirectory: project.directory, mode: .existing, onUpgrade: { steps in announced.withLock { $0 = steps } })
        #expect(announced.withLock { $0 } == ["v3-images", "v4-plan-files", "v5-notes", "v6-assignments", "v7-stages", "v8-visits", "v9-render-ledger"])
        #expect(try engine.store.schemaVersion() == "v9-render-ledger")
        let artifact = try #require(try engine.store.artifact(for: "h2"))
        #expect(artifact.path == "artifacts/aa/\(shared).png" && artifact.imageSHA256 == shared)
        #expect(artifact.width == 8 && artifact.height == 4 && artifact.byteCount == 99 && artifact.provider == "mock")
        #expect(try engine.store.renderedHashes(among: nil) == ["h1", "h2", "h3"])
        try engine.sqlite.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM images") == 2)
            let rows = try Row.fetchAll(db, sql: "SELECT hash, provider_meta, compiled_prompt FROM artifacts ORDER BY hash")
            #expect(rows.map { $0[1] as String? } == [nil, nil, "{\"x\":1}"])
            #expect(rows.map { $0[2] as String? } == [nil, "{}", nil])
            let items = try Row.fetchAll(db, sql: "SELECT id, shot_id, state, request_id FROM job_items ORDER BY id")
            #expect(items.map { $0[0] as Int64 } == [1, 3])
            #expect(items.map { $0[1] as String } == ["S1", "S3"])
            #expect(items.map { $0[3] as String? } == [nil, "req-3"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
        }
        // A process of the earlier version still writes artifacts as it did.
        try engine.sqlite.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO artifacts (hash, path, image_sha256, mime, width, height, byte_count, provider, compiled_prompt, created_at)
                VALUES ('h4', 'artifacts/bb/\(other).png', '\(other)', 'image/png', 8, 4, 99, 'mock', NULL, '2026-01-02 00:00:00.000'),
                       ('h1', 'elsewhere.png', 'cc', 'image/png', 1, 1, 1, 'mock', NULL, '2026-01-02 00:00:00.000')
                """)
        }
        #expect(try engine.store.artifact(for: "h4")?.imageSHA256 == other)
        #expect(try engine.store.artifact(for: "h1")?.imageSHA256 == shared)
        #expect(try engine.sqlite.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM renders") } == 4)
        #expect(try engine.store.integrityCheck() == "ok")
    }

    /// A database a newer version migrated further is refused with a clear error, untouched.
    @Test func aNewerSchemaIsRefused() throws {
        let project = try TestProject()
        let engine = try project.engine()
        try engine.sqlite.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        let path = project.directory.appendingPathComponent(SQLiteStore.fileName).path
        #expect(throws: StoreError.newerSchema(path, ["v99-future"])) { try project.engine(mode: .existing) }
    }

    /// The first render stored for a hash wins, and a later one leaves no image behind.
    @Test func aSecondRenderOfAHashStoresNothing() throws {
        let project = try TestProject()
        let engine = try project.engine()
        for digest in ["a", "b"] {
            let sha = String(repeating: digest, count: 64)
            try engine.store.insertArtifact(
                Artifact(hash: "h", path: "artifacts/\(digest)\(digest)/\(sha).png", imageSHA256: sha, mime: "image/png", width: 1, height: 1,
                         byteCount: 1, provider: "test", createdAt: TestProject.fixedDate),
                compiledPrompt: nil)
        }
        #expect(try engine.store.artifact(for: "h")?.imageSHA256 == String(repeating: "a", count: 64))
        #expect(try engine.sqlite.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM images") } == 1)
    }

    /// Only an existing database that has steps to go through is announced: not a new project,
    /// not one already up to date.
    @Test func onlyAnUpgradeIsAnnounced() throws {
        let project = try TestProject()
        let announced = Mutex(0)
        _ = try Engine(projectDirectory: project.directory, mode: .create, onUpgrade: { _ in announced.withLock { $0 += 1 } })
        _ = try Engine(projectDirectory: project.directory, mode: .existing, onUpgrade: { _ in announced.withLock { $0 += 1 } })
        #expect(announced.withLock { $0 } == 0)
    }
}
