import Foundation
import Testing
@testable import AutoDirectorCore
@testable import AutoDirectorTUI

/// One refresh per write (issue 21): a render of this process refreshes the rows as it commits,
/// its commits do not come back through the change watcher, and the detail of a shot the render
/// does not touch is loaded once, however often the rows are.
@Suite struct DetailRefreshTests {
    static let shots = 24

    /// A planned project of `shots` shots, every one rendered.
    static func renderedProject() async throws -> (root: URL, engine: Engine) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adtui-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let file = root.appendingPathComponent("products.csv")
        let rows = (1...shots).map { String(format: "PROD-%03d,Product %d,electronics,plastic,glossy", $0, $0) }
        try Data((["sku,product_name,category,material,finish"] + rows + [""]).joined(separator: "\n").utf8).write(to: file)
        let engine = try Engine(projectDirectory: root.appendingPathComponent("project"), mode: .create, clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        let batch = try engine.ingest(file).batchID
        _ = try engine.plan(batchID: batch, preset: "brand_neutral_cool")
        _ = try engine.enqueueRender(batchID: batch)
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 2))
        return (root, engine)
    }

    @Test func aRunningRenderLoadsTheDetailOfAnUnchangedShotOnce() async throws {
        let (root, engine) = try await Self.renderedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        // Every finished item is a commit of its own, and each refreshes the rows.
        let configuration = EffectInterpreter.Configuration(
            reviewer: "ana", exportDirectory: root.appendingPathComponent("exports"),
            settings: RenderSettings(concurrency: 1, flushEvery: 1, flushInterval: 0),
            makeProvider: { MockProvider(latency: .milliseconds(2)) })
        let session = HeadlessSession(engine: engine, width: 160, height: 48, configuration: configuration, watchInterval: .milliseconds(5))
        session.configure { $0.renderRefreshInterval = .zero }
        #expect(await session.settled(renders: false))
        #expect(session.state.current?.shot.id == "PROD-001" && session.state.detail?.version.shotID == "PROD-001")
        #expect(session.bridge.detailLoads == 1)
        let pagesBefore = session.bridge.pageLoads

        // Every shot but the one shown rendered again, while the TUI shows it.
        let others = (2...Self.shots).map { String(format: "PROD-%03d", $0) }
        #expect(try engine.enqueueRerender(shots: others) != nil)
        session.bridge.startRendering()
        #expect(await session.settled())
        let pages = session.bridge.pageLoads - pagesBefore
        #expect(pages >= 5, "the rows were refreshed as the render committed (\(pages) pages)")
        #expect(session.bridge.detailLoads == 1, "the shown shot did not change: its detail was loaded once, not at every refresh")
        #expect(session.bridge.storeChanges == 0, "this process's own commits are not reported as another's")
        #expect(session.state.page?.rows.dropFirst().allSatisfy { $0.renderStatus == .rendered } == true)

        // Another process's decision on the shown shot: noticed, and now its detail is loaded.
        let other = try Engine(projectDirectory: root.appendingPathComponent("project"), mode: .existing)
        _ = try other.approve(["PROD-001"], reviewer: "ben")
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, session.state.detail?.version.review != .approved {
            _ = await session.settled(timeout: .milliseconds(100), renders: false)
        }
        #expect(session.state.detail?.version.review == .approved)
        #expect(session.bridge.storeChanges >= 1)
        #expect(session.bridge.detailLoads == 2)
    }

    /// A read that began before a decision never arrives after it showing the decided shot as
    /// it was: the interpreter reads it again (decisions run beside the reads, never behind one).
    @Test func noReadArrivesAfterADecisionShowingTheShotUndecided() async throws {
        let (root, engine) = try await Self.renderedProject()
        defer { try? FileManager.default.removeItem(at: root) }
        let events = EventInbox()
        let configuration = EffectInterpreter.Configuration(
            reviewer: "ana", exportDirectory: root.appendingPathComponent("exports"), settings: RenderSettings(), makeProvider: { MockProvider() })
        let interpreter = EffectInterpreter(engine: engine, configuration: configuration, post: events.post)
        let query = ShotQuery(offset: 0, limit: 5)
        for _ in 0..<20 {
            interpreter.run(.loadPage(query))
            interpreter.run(.loadDetail(shotID: "PROD-001"))
        }
        interpreter.run(.approve(["PROD-001"], stage: nil))
        var seen: [AppEvent] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !(interpreter.isIdle && seen.contains { if case .reviewed = $0 { true } else { false } }) {
            _ = events.wait(until: Date().addingTimeInterval(0.05))
            seen += events.drain()
        }
        seen += events.drain()
        guard let decided = seen.firstIndex(where: { if case .reviewed = $0 { true } else { false } }) else {
            Issue.record("no decision in \(seen)")
            return
        }
        for event in seen[(decided + 1)...] {
            if case .pageLoaded(let page, _) = event { #expect(page.rows.first?.review == .approved, "a read that began before the decision") }
            if case .detailLoaded(let detail) = event { #expect(detail.version.review == .approved, "a read that began before the decision") }
        }
        #expect(seen.contains { if case .pageLoaded = $0 { true } else { false } })
    }
}
