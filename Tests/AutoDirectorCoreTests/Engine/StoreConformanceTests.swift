import Foundation
import Synchronization
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore

/// What the engine relies on from a store beyond the suites that already run on both
/// (`StoreKind.all` in ReviewTests, PatchTests, PlanTests, IngestTests, RenderEngineTests,
/// ExportTests, GoldenHashTests, StoreTests, ChangeWatcherTests): the two implementations give
/// the same bytes for the same input, decide races the same way, and (PostgreSQL) keep secrets
/// and survive their server going away.
@Suite struct StoreConformanceTests {
    /// The sample rendered, reviewed, patched and exported on both stores gives byte-identical
    /// bundles: same hashes, seeds, images and export bytes (SPEC §16: same product on both).
    @Test(.enabled(if: ThrowawayPostgres.isAvailable)) func bothStoresExportTheSameBytes() async throws {
        var files: [StoreKind: [String: Data]] = [:]
        for kind in [StoreKind.sqlite, .postgres] {
            let project = try TestProject(kind)
            let (engine, batch) = try project.plannedSample()
            _ = try engine.enqueueRender(batchID: batch)
            _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
            _ = try engine.approve(["PROD-001"], note: "good", reviewer: "ana")
            _ = try engine.reject(["PROD-002"], note: "too dark", reviewer: "ana")
            _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
            _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
            let export = try engine.export(
                batchID: batch, options: ExportOptions(directory: project.root.appendingPathComponent("out"), zip: true, allVersions: true))
            #expect(export.zip != nil)
            for name in try FileManager.default.subpathsOfDirectory(atPath: export.directory.path).sorted() {
                var isDirectory: ObjCBool = false
                let path = export.directory.appendingPathComponent(name).path
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                files[kind, default: [:]][name] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
            #expect(try engine.versions(of: "PROD-002").map(\.seed) == [930_873_564, 930_873_564])
        }
        // Every file is the same, except the render times the reports quote: they were measured
        // on two separate renders (a second export of one project is byte-identical, ExportTests).
        let sqliteFiles = files[.sqlite] ?? [:]
        #expect(sqliteFiles.keys.sorted() == (files[.postgres] ?? [:]).keys.sorted())
        #expect(sqliteFiles.count == 9)
        for (name, bytes) in sqliteFiles {
            let other = files[.postgres]?[name] ?? Data()
            #expect(Self.withoutRenderTimes(bytes) == Self.withoutRenderTimes(other), "\(name)")
        }
    }

    /// A bundle file's lines, less the reports' render times and the checksums of the reports.
    static func withoutRenderTimes(_ bytes: Data) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).filter {
            !$0.contains("render_seconds_p") && !$0.contains("Render time p50") && !$0.hasSuffix("report.json") && !$0.hasSuffix("report.md")
        }
    }

    /// Approvals and rejections of one shot from two machines at once: every action lands in
    /// the audit log, and the shot's decision is the log's last word.
    @Test(arguments: StoreKind.all) func aReviewRaceEndsInTheStateTheLogExplains(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (first, _) = try project.plannedSample()
        try project.markRendered(first, "PROD-001")
        let second = try first.secondMachine(of: project)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (engine, reviewer) in [(first, "ana"), (second, "ben")] {
                group.addTask {
                    for step in 0..<8 {
                        if step % 2 == 0 {
                            _ = try engine.approve(["PROD-001"], note: "\(reviewer) \(step)", reviewer: reviewer)
                        } else {
                            _ = try engine.reject(["PROD-001"], note: "\(reviewer) \(step)", reviewer: reviewer)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let log = try first.reviewLog(of: "PROD-001")
        #expect(Set(log.map(\.reviewer)) == ["ana", "ben"])
        #expect(Set(log.map(\.id)).count == log.count)
        let last = try #require(log.max { $0.id < $1.id })
        for engine in [first, second] {
            #expect(try engine.shots().first { $0.shot.id == "PROD-001" }?.review == last.status)
        }
    }

    /// The job list gives each job its own counts (read for all the jobs at once).
    @Test(arguments: StoreKind.all) func everyJobIsListedWithItsOwnCounts(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (engine, batch) = try project.plannedSample()
        let first = try #require(try engine.enqueueRender(batchID: batch))
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        _ = try engine.rerender("PROD-002", patches: try ShotPatch.parse(arguments: ["camera.fov=60"]))
        let second = try #require(try engine.waitingJobs(shots: ["PROD-002"]).first)
        let third = try #require(try engine.enqueueRender(shots: ["PROD-001", "PROD-003"], force: true))
        #expect(try engine.cancelJob(third))
        let jobs = try engine.jobs()
        #expect(jobs.map(\.id) == [third, second, first])
        #expect(jobs.map { $0.counts[.done] ?? 0 } == [0, 0, 3])
        #expect(jobs.map { $0.counts[.queued] ?? 0 } == [0, 1, 0])
        #expect(jobs.map { $0.counts[.cancelled] ?? 0 } == [2, 0, 0])
        #expect(jobs.map(\.state) == [.cancelled, .queued, .done])
        #expect(try engine.job(second).total == 1)
    }

    /// A decision on one machine is seen by the other's watcher within a second, once.
    @Test(arguments: StoreKind.all) func aDecisionOnOneMachineIsNoticedOnTheOther(_ kind: StoreKind) async throws {
        let project = try TestProject(kind)
        let (first, _) = try project.plannedSample()
        try project.markRendered(first, "PROD-001")
        let second = try first.secondMachine(of: project)
        let watcher = try second.changeWatcher()
        #expect(try !watcher.changed())
        _ = try first.approve(["PROD-001"], reviewer: "ana")
        #expect(try await eventually(within: .seconds(1)) { try watcher.changed() })
        #expect(try !watcher.changed(), "each commit is reported once")
        _ = try second.reject(["PROD-001"], note: "own", reviewer: "ben")
        #expect(try !watcher.changed(), "the machine's own commit is not a change from elsewhere")
        #expect(try first.shots().first { $0.shot.id == "PROD-001" }?.review == .rejected)
    }
}

/// What only a shared database has: a password, a server that can be gone, a schema a newer
/// version wrote.
@Suite(.enabled(if: ThrowawayPostgres.isAvailable)) struct PostgresStoreTests {
    @Test func aWrongPasswordIsAClearErrorThatNeverShowsIt() throws {
        let cluster = try ThrowawayPostgres.shared()
        var url = try ThrowawayPostgres.freshDatabase()
        url.password = "not-the-password-\(UUID().uuidString)"
        let secret = try #require(url.password)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("adtest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = try #require(throws: (any Error).self) { try Engine(projectDirectory: directory, database: url, mode: .create) }
        let text = "\(error)"
        #expect(!text.contains(secret) && !text.contains(cluster.password))
        #expect(text.contains("127.0.0.1:\(cluster.port)"), "names the database: \(text)")
        #expect(text.contains("password"), "says why: \(text)")
    }

    @Test func aDatabaseANewerVersionUpgradedIsRefused() throws {
        let project = try TestProject(.postgres)
        let engine = try project.engine()
        try (engine.store as! PostgresStore).write { tx in
            try tx.execute("INSERT INTO autodirector_migrations (identifier) VALUES ('pg99-future')")
        }
        let error = try #require(throws: StoreError.self) { try project.engine(mode: .existing) }
        #expect(error == .newerSchema(try #require(project.database).description, ["pg99-future"]))
        #expect(!error.description.contains(try #require(project.database?.password)))
    }

    /// Versions name their look and rule set without a foreign key (bulk COPY speed): the
    /// integrity check is what catches one that is missing.
    @Test func theIntegrityCheckFindsAVersionWithoutItsLook() throws {
        let project = try TestProject(.postgres)
        let (engine, _) = try project.plannedSample()
        #expect(try engine.store.integrityCheck() == "ok")
        try (engine.store as! PostgresStore).write { tx in
            try tx.execute("UPDATE versions SET look_id = 999999 WHERE shot_id = 'PROD-002'")
        }
        #expect(try engine.store.integrityCheck() == "1 versions name a look or rule set that is not stored")
    }

    @Test func anEmptyDatabaseIsNoProjectUntilACommandCreatesOne() throws {
        let project = try TestProject(.postgres)
        #expect(throws: StoreError.noProject(try #require(project.database).description)) { try project.engine(mode: .existing) }
        _ = try project.plannedSample()
        #expect(try project.engine(mode: .existing).shots().count == 3)
    }

    /// The server stops under an open engine and comes back: calls meanwhile fail with a clear
    /// "unreachable" (without the password), and the same engine works again afterwards with
    /// everything acknowledged before still there.
    @Test func theServerGoingAwayAndComingBackNeedsNoRestart() async throws {
        let cluster = try ThrowawayPostgres.start()
        defer { cluster.destroy() }
        let url = try cluster.createDatabase("outage")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adtest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let engine = try Engine(projectDirectory: root.appendingPathComponent("project"), database: url, mode: .create)
        let csv = root.appendingPathComponent("p.csv")
        try Data(TestProject.sampleCSV.utf8).write(to: csv)
        let batch = try engine.ingest(csv).batchID
        _ = try engine.plan(batchID: batch)
        let watcher = try engine.changeWatcher()

        cluster.stopServer()
        let error = try #require(throws: StoreError.self) { try engine.shots() }
        guard case .unreachable(let location, _) = error else {
            Issue.record("expected unreachable, got \(error)")
            return
        }
        #expect(location == url.description)
        #expect(!error.description.contains(cluster.password))
        #expect(throws: StoreError.self) { try watcher.changed() }

        try cluster.startServer()
        #expect(try engine.shots().count == 3)
        try markRendered(engine, "PROD-001")
        _ = try engine.approve(["PROD-001"], reviewer: "ana")
        #expect(try engine.shots().first?.review == .approved)
        #expect(try await eventually(within: .seconds(5)) { (try? watcher.changed()) != nil })
    }

    private func markRendered(_ engine: Engine, _ shotID: String) throws {
        let v = try engine.version(of: shotID)
        try engine.store.insertArtifact(
            Artifact(hash: v.hash, path: "artifacts/\(v.hash).png", imageSHA256: v.hash, mime: "image/png",
                     width: 8, height: 8, byteCount: 1, provider: "test", createdAt: TestProject.fixedDate),
            compiledPrompt: nil)
    }
}

/// Asks `condition` until it holds or `within` passes (a change arriving by notification is
/// asynchronous); whether it held.
func eventually(within limit: Duration, _ condition: () throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while true {
        if try condition() { return true }
        if clock.now >= deadline { return false }
        try await Task.sleep(for: .milliseconds(10))
    }
}
