import Foundation
import Testing
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

    @Test func reviewPatchRenderDiffAndExportFromTheKeyboard() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adtui-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("products.csv")
        try Data(Self.csv.utf8).write(to: file)
        let engine = try Engine(projectDirectory: root.appendingPathComponent("project"), mode: .create, clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let batch = try engine.ingest(file).batchID
        _ = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        _ = try engine.enqueueRender(batchID: batch)
        let configuration = EngineBridge.Configuration(
            reviewer: "ana", exportDirectory: root.appendingPathComponent("exports"), settings: RenderSettings(concurrency: 2),
            makeProvider: { MockProvider() })
        let session = HeadlessSession(engine: engine, width: 80, height: 24, configuration: configuration)
        session.bridge.startRendering()
        #expect(await session.settled())
        #expect(session.frame.text.contains("PROD-003"))
        #expect(try engine.version(of: "PROD-001").renderStatus == .rendered)

        session.press(.character("a"))
        #expect(await session.settled())
        #expect(try engine.version(of: "PROD-001").review == .approved)

        session.press(.character("j"), .character("r"))
        session.type("too dark")
        session.press(.enter)
        #expect(await session.settled())
        let rejected = try engine.version(of: "PROD-002")
        #expect(rejected.review == .rejected && rejected.reviewNote == "too dark" && rejected.reviewer == "ana")

        session.press(.character("j"), .character("p"))
        session.type("camera.fov=60")
        #expect(session.frame.text.contains("camera.fov"))
        session.press(.enter, .character("y"))
        #expect(await session.settled())
        let patched = try engine.version(of: "PROD-003")
        #expect(patched.number == 2 && patched.renderStatus == .rendered)
        #expect(session.state.message?.contains("v2") == true || session.state.message?.contains("Job") == true)

        session.press(.character("d"))
        #expect(await session.settled())
        #expect(session.frame.text.contains("camera.fov"), "\(session.frame.text)")

        session.press(.character("E"), .character("y"))
        #expect(await session.settled())
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("exports/products.zip").path), "\(session.state.message ?? "")")

        session.press(.character("y"))
        #expect(session.terminalEffects == [.copy(patched.hash)])
    }
}
