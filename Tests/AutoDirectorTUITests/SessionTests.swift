import Foundation
import Testing
import ThrowawayPostgres
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// The TUI driven by keys against a real engine and project, waiting for idle between steps.
@Suite struct SessionTests {
    static let csv = """
        sku,product_name,category,material,finish
        PROD-001,Wireless Headphones,electronics,plastic,glossy
        PROD-002,Macro Camera Lens,photography,glass,matte
        PROD-003,Ceramic Coffee Mug,homeware,ceramic,glossy

        """

    /// A planned sample project with its render queued, in a directory removed by the caller.
    /// `database`: a shared project's (nil: the project directory's SQLite file).
    static func plannedProject(database: DatabaseURL? = nil) throws -> (root: URL, engine: Engine, configuration: EffectInterpreter.Configuration) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adtui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("products.csv")
        try Data(Self.csv.utf8).write(to: file)
        let engine = try Engine(
            projectDirectory: root.appendingPathComponent("project"), database: database, mode: .create,
            clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let batch = try engine.ingest(file).batchID
        _ = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        _ = try engine.enqueueRender(batchID: batch)
        let configuration = EffectInterpreter.Configuration(
            reviewer: "ana", exportDirectory: root.appendingPathComponent("exports"), settings: RenderSettings(concurrency: 2),
            makeProvider: { MockProvider() })
        return (root, engine, configuration)
    }

    /// A session at 80×24 on `engine` whose background render has rendered what was queued.
    static func renderedSession(_ engine: Engine, _ configuration: EffectInterpreter.Configuration) async -> HeadlessSession {
        let session = HeadlessSession(engine: engine, width: 80, height: 24, configuration: configuration)
        session.bridge.startRendering()
        #expect(await session.settled())
        return session
    }

    @Test(arguments: StoreKind.all) func reviewPatchRenderDiffAndExportFromTheKeyboard(_ kind: StoreKind) async throws {
        let (root, engine, configuration) = try Self.plannedProject(database: kind == .postgres ? try ThrowawayPostgres.freshDatabase() : nil)
        defer { try? FileManager.default.removeItem(at: root) }
        let session = await SessionTests.renderedSession(engine, configuration)
        #expect(session.frame.text.contains("PROD-003"))
        #expect(try engine.version(of: "PROD-001").renderStatus == .rendered)

        session.press(.character("a"))
        #expect(await session.settled())
        #expect(try engine.version(of: "PROD-001").review == .approved)
        #expect(session.state.current?.shot.id == "PROD-002", "a moves on to the next pending shot")

        session.press(.character("r"))
        session.type("too dark")
        session.press(.enter)
        #expect(await session.settled())
        let rejected = try engine.version(of: "PROD-002")
        #expect(rejected.review == .rejected && rejected.reviewNote == "too dark" && rejected.reviewer == "ana")

        #expect(session.state.current?.shot.id == "PROD-003")
        session.press(.character("p"))
        session.type("camera.fov=60")
        #expect(session.frame.text.contains("camera.fov"))
        session.press(.enter)
        #expect(await session.settled())
        let patched = try engine.version(of: "PROD-003")
        #expect(patched.number == 2 && patched.renderStatus == .rendered)
        #expect(try engine.compare("PROD-003", 1, 2).map(\.dottedPath) == ["camera.fov"])

        session.press(.character("d"))
        #expect(await session.settled())
        #expect(session.frame.text.contains("camera.fov"), "\(session.frame.text)")

        session.press(.character("E"), .character("y"))
        #expect(await session.settled())
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("exports/products.zip").path), "\(session.state.message ?? "")")

        session.press(.character("y"))
        #expect(session.terminalEffects == [.copy(patched.hash)])
    }

    /// On SQLite another process on the project; on PostgreSQL another machine (its own
    /// project directory) on the database.
    @Test(arguments: StoreKind.all) func aDecisionByAnotherWriterShowsWithoutAKeyPress(_ kind: StoreKind) async throws {
        let database = kind == .postgres ? try ThrowawayPostgres.freshDatabase() : nil
        let (root, engine, configuration) = try Self.plannedProject(database: database)
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent(database == nil ? "project" : "other-machine")
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        let session = HeadlessSession(engine: engine, width: 80, height: 24, configuration: configuration, watchInterval: .milliseconds(50))
        #expect(await session.settled(renders: false))
        session.press(.character("j"), .character("v"))
        #expect(await session.settled(renders: false))
        #expect(session.state.row(at: 1)?.review == .pending)

        // Another writer on the same project, as a CLI in another shell would be.
        let other = try Engine(projectDirectory: project, database: database, mode: .existing, clock: { Date(timeIntervalSince1970: 1_790_000_100) })
        _ = try other.reject(["PROD-002"], note: "logo cut off", reviewer: "ben")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, session.state.row(at: 1)?.review != .rejected || session.state.detail?.version.review != .rejected {
            _ = await session.settled(timeout: .milliseconds(200), renders: false)
        }
        // The table and the detail agree, and the Versions tab names the reviewer and the note.
        #expect(session.state.row(at: 1)?.review == .rejected)
        #expect(session.state.detail?.version.review == .rejected)
        let text = session.frame.text
        #expect(text.contains("ben"), "\(text)")
        #expect(text.contains("logo cut off"), "\(text)")
    }

    /// A shared project's server goes away under an open TUI and comes back: the status line
    /// says so both times, the TUI keeps running, and keys work again afterwards.
    @Test(.enabled(if: ThrowawayPostgres.isAvailable)) func aLostDatabaseIsSaidAndSoIsItsReturn() async throws {
        let cluster = try ThrowawayPostgres.start()
        defer { cluster.destroy() }
        let (root, engine, configuration) = try Self.plannedProject(database: try cluster.createDatabase("outage"))
        defer { try? FileManager.default.removeItem(at: root) }
        let session = HeadlessSession(engine: engine, width: 80, height: 24, configuration: configuration, watchInterval: .milliseconds(50))
        #expect(await session.settled(renders: false))
        func waitForMessage(_ fragment: String) async -> Bool {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                if session.state.message?.contains(fragment) == true { return true }
                _ = await session.settled(timeout: .milliseconds(100), renders: false)
            }
            return false
        }
        cluster.stopServer()
        #expect(await waitForMessage("is unreachable"))
        #expect(session.state.messageIsError)
        #expect(!(session.state.message ?? "").contains(cluster.password))
        try cluster.startServer()
        #expect(await waitForMessage("reachable again"))
        session.press(.character("j"))
        #expect(await session.settled(renders: false))
        #expect(session.state.current?.shot.id == "PROD-002")
    }

    /// A rendered shot whose image file is not on this machine (rendered by another machine of a
    /// shared project, or removed) still shows its detail, and the preview says why.
    @Test func aMissingImageFileStillShowsTheDetail() async throws {
        let (root, engine, configuration) = try Self.plannedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        try FileManager.default.removeItem(at: root.appendingPathComponent("project/artifacts"))
        let session = HeadlessSession(engine: engine, width: 120, height: 30, configuration: configuration)
        #expect(await session.settled(renders: false))
        #expect(session.state.detail?.version.shotID == "PROD-001")
        #expect(session.state.detail?.previewProblem?.contains("cannot be read here") == true)
        #expect(session.frame.text.contains("Rendered, but its image cannot be read here"), "\(session.frame.text)")
    }
}
