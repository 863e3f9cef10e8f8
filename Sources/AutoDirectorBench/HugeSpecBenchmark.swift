import AutoDirectorCore
import AutoDirectorTUI
import Foundation

/// `bench tui --huge-spec-lines N`: a 20-shot project whose second shot has a spec of about N
/// lines (that many `attributes`), shown on the JSON tab. Times, off-screen, what issue 19 found
/// slow: keys on that tab (scrolling in it), each from the key to the finished Frame; and moves in
/// the table onto that shot, each from the key to the first frame that shows its JSON.
public enum HugeSpecBenchmark {
    public struct Result: Sendable {
        public var specLines: Int
        public var keyP50MS: Double
        public var keyP99MS: Double
        public var keyMaxMS: Double
        public var keys: Int
        public var moveP50MS: Double
        public var moveP99MS: Double
        public var moves: Int
    }

    public static func run(lines: Int, keystrokes: Int = 400, moves: Int = 40, width: Int = 160, height: Int = 48) async throws -> Result {
        let project = try await Blocking.run { try BenchProject.planned(rows: 20, name: "bench-tui-huge-spec") }
        defer { project.remove() }
        let engine = try await Blocking.run {
            try Engine(projectDirectory: project.directory.appendingPathComponent("project"), mode: .existing)
        }
        let configuration = EffectInterpreter.Configuration(
            reviewer: "bench", exportDirectory: project.directory.appendingPathComponent("exports"), settings: RenderSettings(concurrency: 1),
            makeProvider: { MockProvider() })
        // The table's order decides which shot is second; that one gets the huge spec.
        let probe = HeadlessSession(engine: engine, width: width, height: height, batchID: project.batchID, configuration: configuration)
        _ = await probe.settled(renders: false)
        guard let first = probe.state.row(at: 0)?.shot.id, let huge = probe.state.row(at: 1)?.shot.id else {
            throw EngineError.unknownShot("(the second row)")
        }
        let specLines = try await Blocking.run { try makeHuge(huge, lines: lines, engine: engine) }

        let session = HeadlessSession(engine: engine, width: width, height: height, batchID: project.batchID, configuration: configuration)
        _ = await session.settled(renders: false)
        // The JSON tab, with the focus back on the table.
        session.press(.enter, .tab)
        let (moveTimes, keyTimes) = await Blocking.run { () -> ([Double], [Double]) in
            var moveTimes: [Double] = []
            for _ in 0..<moves {
                let began = ContinuousClock.now
                session.press(.character("j"))
                waitForDetail(of: huge, session)
                session.draw()
                moveTimes.append((ContinuousClock.now - began).seconds * 1000)
                session.press(.character("k"))
                waitForDetail(of: first, session)
                session.draw()
            }
            session.press(.character("j"))
            waitForDetail(of: huge, session)
            session.press(.tab)
            let script: [Key] = [.character("j"), .character("j"), .pageDown, .character("k"), .pageDown, .pageUp, .character("G"),
                                 .character("k"), .pageUp, .character("g"), .character("j"), .pageDown]
            var keyTimes: [Double] = []
            for index in 0..<keystrokes {
                let began = ContinuousClock.now
                session.press(script[index % script.count])
                session.draw()
                keyTimes.append((ContinuousClock.now - began).seconds * 1000)
            }
            return (moveTimes.sorted(), keyTimes.sorted())
        }
        return Result(
            specLines: specLines, keyP50MS: Percentile.of(keyTimes, 0.50), keyP99MS: Percentile.of(keyTimes, 0.99), keyMaxMS: keyTimes.last ?? 0,
            keys: keyTimes.count, moveP50MS: Percentile.of(moveTimes, 0.50), moveP99MS: Percentile.of(moveTimes, 0.99), moves: moveTimes.count)
    }

    /// Gives `shotID` a new version with `lines` attributes; returns the lines of its JSON.
    static func makeHuge(_ shotID: String, lines: Int, engine: Engine) throws -> Int {
        var spec = try engine.version(of: shotID).spec
        var attributes = JSONObject()
        for index in 0..<lines {
            attributes[String(format: "attribute_%05d", index)] = .string("value \(index) of a spec far longer than any preset makes")
        }
        spec["attributes"] = .object(attributes)
        let text = JSONWriter.pretty(.object(spec))
        _ = try engine.rerender(shotID, replacingSpecWith: text)
        return text.split(separator: "\n").count
    }

    /// Handles what the interpreter posts until the detail shown is `shotID`'s (10 s at most).
    static func waitForDetail(of shotID: String, _ session: HeadlessSession) {
        let deadline = Date().addingTimeInterval(10)
        while session.state.detail?.version.shotID != shotID, Date() < deadline {
            _ = session.inbox.wait(until: deadline)
            for event in session.inbox.drain() { session.send(event) }
        }
    }
}
