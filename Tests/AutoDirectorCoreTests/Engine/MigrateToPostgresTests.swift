import Foundation
import GRDB
import PostgresNIO
import Synchronization
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// `migrate --to URL` (SPEC §16): a SQLite project moves to an empty PostgreSQL database and
/// nothing is lost; a database that is not empty is refused; a failed copy leaves nothing.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct MigrateToPostgresTests {
    /// The sample rendered, reviewed (approve, reject, undo), patched and rendered again.
    static func workedSample(_ project: TestProject) async throws -> Engine {
        let engine = try await ExportTests.renderedSample(project)
        _ = try engine.approve(["PROD-001"], note: "hero", reviewer: "ana")
        _ = try engine.reject(["PROD-002"], note: "too dark", reviewer: "ben")
        _ = try engine.approve(["PROD-003"], reviewer: "ben")
        _ = try engine.undoLastReview(reviewer: "ben")
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        return engine
    }

    static func fileDigest(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { SHA256Hex.digest([UInt8]($0)) }
    }

    @Test func everyRowAndHashArrivesAndTheCopyKeepsWorking() async throws {
        let project = try TestProject(.sqlite)
        let sqlite = try await Self.workedSample(project)
        let sourceManifest = try Data(contentsOf: try sqlite.export(
            batchID: "products", options: ExportOptions(directory: project.root.appendingPathComponent("sqlite-out"), allVersions: true)
        ).directory.appendingPathComponent("manifest.json"))
        let sourceCounts = try sqlite.sqlite.read { db in
            try MigratedTable.all.map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0.name)") ?? 0 }
        }
        let databaseFile = sqlite.sqlite.location
        let before = [Self.fileDigest(databaseFile), Self.fileDigest(databaseFile + "-wal")]

        let target = try ThrowawayPostgres.freshDatabase()
        let events = Mutex<[String]>([])
        let report = try Engine.migrate(projectDirectory: project.directory, to: target) { event in
            switch event {
            case .copied(let table, let rows, _): events.withLock { $0.append("\(table) \(rows)") }
            case .verifying: events.withLock { $0.append("verifying") }
            }
        }
        #expect(report.tables.map(\.name) == MigratedTable.all.map(\.name))
        #expect(report.tables.map(\.rows) == sourceCounts)
        #expect(report.tables.first { $0.name == "jobs" }?.rows == 2)
        #expect(report.tables.first { $0.name == "review_log" }?.rows == 4)
        #expect(report.versionHashes == 4)
        #expect(report.schema == "pg10-render-ledger")
        #expect(report.tables.first { $0.name == "batch_plan_files" }?.rows == 3)
        #expect(!report.target.contains(try #require(target.password)))
        #expect(events.withLock { $0 } == zip(MigratedTable.all, sourceCounts).map { "\($0.name) \($1)" } + ["verifying"])
        // Only read: the project's files are as they were.
        #expect([Self.fileDigest(databaseFile), Self.fileDigest(databaseFile + "-wal")] == before)

        // The same project through the engine on PostgreSQL, from the same directory (its images).
        let shared = try Engine(projectDirectory: project.directory, database: target, clock: { TestProject.fixedDate })
        #expect(try shared.shots() == sqlite.shots())
        for id in ["PROD-001", "PROD-002", "PROD-003"] {
            #expect(try shared.versions(of: id) == sqlite.versions(of: id), "\(id)")
            #expect(try shared.reviewLog(of: id) == sqlite.reviewLog(of: id), "\(id)")
        }
        #expect(try shared.jobs() == sqlite.jobs())
        #expect(try shared.planFiles(of: "products") == sqlite.planFiles(of: "products"))
        for job in try sqlite.jobs() { #expect(try shared.jobItems(job.id) == sqlite.jobItems(job.id)) }
        #expect(try shared.health().counts == sqlite.health().counts)
        let sharedManifest = try Data(contentsOf: try shared.export(
            batchID: "products", options: ExportOptions(directory: project.root.appendingPathComponent("pg-out"), allVersions: true)
        ).directory.appendingPathComponent("manifest.json"))
        #expect(sharedManifest == sourceManifest)

        // Every sequence is past the copied ids: new looks, versions, jobs, items, images,
        // renders and review entries all insert.
        let rerendered = try shared.rerender("PROD-001", patches: try ShotPatch.parse(arguments: ["camera.fov=70"]))
        #expect(rerendered.jobID == 3)
        _ = try await shared.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        #expect(try shared.job(rerendered.jobID).state == .done)
        _ = try shared.approve(["PROD-001"], reviewer: "ana")
        _ = try shared.undoLastReview(reviewer: "ana")
        let log = try shared.reviewLog(of: "PROD-001")
        #expect(log.count == 3 && Set(log.map(\.id)).count == 3)
        #expect(try shared.versions(of: "PROD-001").map(\.number) == [1, 2])
    }

    /// Values that COPY's text format must escape, sent in many small chunks, arrive intact.
    @Test func escapedValuesInSmallChunksArriveIntact() throws {
        let project = try TestProject(.sqlite)
        let engine = try project.engine()
        let subject = "tab\there, back\\slash, \"quoted\"\nnew line\r\nand ünïcödé ✓"
        var csv = "sku,product_name,category\n"
        for index in 0..<40 { csv += "S-\(index),\"\(subject.replacingOccurrences(of: "\"", with: "\"\"")) \(index)\",homeware\n" }
        let batch = try engine.ingest(try project.file("odd.csv", csv)).batchID
        _ = try engine.plan(batchID: batch)

        let target = try ThrowawayPostgres.freshDatabase()
        var migration = ProjectMigration(source: try MigrationSource(projectDirectory: project.directory), target: target)
        migration.chunkBytes = 300
        let report = try migration.run { _ in }
        #expect(report.versionHashes == 40)
        let shared = try Engine(projectDirectory: project.directory, database: target, clock: { TestProject.fixedDate })
        let copied = try shared.shot("S-7").subject
        #expect(copied == (try engine.shot("S-7").subject))
        #expect(copied.contains("\t") && copied.contains("\\") && copied.contains("\n") && copied.hasSuffix("✓ 7"))
        #expect(try shared.version(of: "S-39") == engine.version(of: "S-39"))
        #expect(try shared.shots() == engine.shots())
    }

    /// A database with anything of a project in it is refused, and left exactly as it was.
    @Test func aDatabaseThatIsNotEmptyIsRefusedAndUnchanged() async throws {
        let source = try TestProject(.sqlite)
        _ = try source.plannedSample()

        let occupied = try TestProject(.postgres)
        let (other, _) = try occupied.plannedSample()
        let counts = try other.health().counts
        let target = try #require(occupied.database)
        #expect(throws: MigrationError.self) { try Engine.migrate(projectDirectory: source.directory, to: target) }
        do {
            _ = try Engine.migrate(projectDirectory: source.directory, to: target)
        } catch let error as MigrationError {
            guard case .targetNotEmpty(let location, let found) = error else { throw error }
            #expect(location == target.description)
            #expect(found.contains("shots") && found.contains("schema steps pg1-core, pg2-plan-files, pg3-render-leases, pg4-farm-queue, pg5-queue-order, pg6-notes, pg7-assignments, pg8-stages, pg9-visits, pg10-render-ledger"))
            #expect(!error.description.contains(try #require(target.password)))
        }
        #expect(try other.health().counts == counts)

        // A stray table of the same name is enough, and nothing is created beside it.
        let stray = try ThrowawayPostgres.freshDatabase()
        let session = try PostgresSession(url: stray)
        _ = try session.withConnection { try PostgresTransaction(connection: $0, logger: session.logger).execute("CREATE TABLE shots (x INT)") }
        #expect(throws: MigrationError.targetNotEmpty(stray.description, found: ["shots"])) {
            try Engine.migrate(projectDirectory: source.directory, to: stray)
        }
        #expect(try Self.relations(session) == ["shots"])
    }

    /// A copy that fails halfway (here a value PostgreSQL refuses: bytes that are not UTF-8, as a
    /// damaged SQLite file may hold) leaves the target empty:
    /// schema, rows and the migration record go in one transaction.
    @Test func aFailedCopyLeavesTheTargetEmpty() throws {
        let project = try TestProject(.sqlite)
        let (engine, _) = try project.plannedSample()
        try engine.sqlite.write { db in try db.execute(sql: "UPDATE shots SET subject = CAST(X'FF' AS TEXT) WHERE id = 'PROD-003'") }
        let target = try ThrowawayPostgres.freshDatabase()
        #expect(throws: StoreError.self) { try Engine.migrate(projectDirectory: project.directory, to: target) }
        let session = try PostgresSession(url: target)
        #expect(try Self.relations(session) == [])
        // And the same database takes the project once it can be stored.
        try engine.sqlite.write { db in try db.execute(sql: "UPDATE shots SET subject = 'fine' WHERE id = 'PROD-003'") }
        #expect(try Engine.migrate(projectDirectory: project.directory, to: target).versionHashes == 3)
    }

    /// A project whose schema needs an upgrade is refused: migrating only reads it.
    @Test func aProjectIsNeverUpgradedByMigrating() throws {
        let project = try TestProject(.sqlite)
        try FileManager.default.createDirectory(at: project.directory, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: project.directory.appendingPathComponent(SQLiteStore.fileName).path)
        try Schema.migrator.migrate(old, upTo: "v2-submissions")
        let target = try ThrowawayPostgres.freshDatabase()
        #expect(throws: MigrationError.self) { try Engine.migrate(projectDirectory: project.directory, to: target) }
        #expect(try old.read { try Schema.migrator.appliedIdentifiers($0) } == ["v1-core", "v2-submissions"])
        #expect(try Self.relations(try PostgresSession(url: target)) == [])
    }

    /// The PostgreSQL schema has exactly the columns the migration copies, and those it leaves
    /// to their defaults (the SQLite side is checked at every migration, `MigrationSource`).
    @Test func theCopiedColumnsAreThePostgresSchemasColumns() throws {
        let project = try TestProject(.postgres)
        _ = try project.engine()
        let session = try PostgresSession(url: try #require(project.database))
        for table in MigratedTable.all {
            let columns = try session.read {
                try $0.column("SELECT column_name::text FROM information_schema.columns WHERE table_name = \(table.name)", as: String.self)
            }
            #expect(Set(columns) == Set(table.columns + table.postgresOnlyColumns), "\(table.name)")
        }
    }

    /// The tables, views and sequences of the database's current schema.
    static func relations(_ session: PostgresSession) throws -> [String] {
        try session.read {
            try $0.column(
                "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'S') ORDER BY 1",
                as: String.self)
        }
    }
}
