import AutoDirectorCore
import AutoDirectorTUI
import Foundation
import Synchronization

/// `bench tui --rows N`: a project of N shots, a mock render job of all of them running in the
/// background (and, for a phase that starts after it ended, a forced job of all of them), and frames drawn off-screen as a reviewer would cause them: the first frame,
/// then keystrokes (moves, pages, jumps to the ends, tab switches), each timed from the key to
/// the finished Frame — and review decisions with a filter active: `a` on a filtered page,
/// each timed from the key to the first frame that shows the new status; then notes written
/// (`n`, the text, Enter: to the frame that says it is written) and status changes (`H`, hold and
/// release in turn: to the frame that shows it), the render still running.
public enum TUIBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var firstFrameMS: Double
        public var frameP50MS: Double
        public var frameP99MS: Double
        public var frames: Int
        public var peakRSSMB: Double
        public var renderRunning: Bool
        public var reviewP50MS: Double
        public var reviewP99MS: Double
        public var decisions: Int
        /// Whether the render was running through every decision.
        public var renderRunningThroughReviews: Bool
        public var noteP50MS: Double
        public var noteP99MS: Double
        public var holdP50MS: Double
        public var holdP99MS: Double
        /// Render jobs that ran behind the measurements (one after another).
        public var renderJobs: Int
        public var imageMode: ImageMode
        /// Bytes of image sequences written (a graphics mode), as the terminal would get them.
        public var graphicsBytes: Int
    }

    /// `renderLatency`: the mock's time per render. Zero makes the render CPU-bound (it then
    /// competes hardest with the UI, and ends within seconds); a millisecond or so makes it last
    /// through every measurement, as a remote provider's job does.
    public static func run(
        rows: Int, keystrokes: Int = 2000, decisions: Int = 250, renderLatency: Duration = .zero, width: Int = 160, height: Int = 48,
        imageMode: ImageMode? = nil, database: DatabaseURL? = nil
    ) async throws -> Result {
        let project = try await Blocking.run { try BenchProject.planned(rows: rows, name: "bench-tui", database: database) }
        defer { project.remove() }
        let (batch, directory) = (project.batchID, project.directory)
        // The TUI opens the project afresh, as `autodirector` on a render box does; the memory
        // of the setup (ingesting and planning) is not the TUI's.
        PeakMemory.startPhase()
        let engine = try await Blocking.run {
            try Engine(projectDirectory: directory.appendingPathComponent("project"), database: database, mode: .existing)
        }

        let configuration = EffectInterpreter.Configuration(
            reviewer: "bench", exportDirectory: directory.appendingPathComponent("exports"), settings: TUIApp.backgroundRenderSettings(RenderSettings(concurrency: 4)),
            makeProvider: { MockProvider(latency: renderLatency) })
        // First frame: from opening the session to a frame that shows rows and the detail.
        let start = ContinuousClock.now
        // Watching the project as the terminal UI does; the render's progress makes it reload.
        let session = HeadlessSession(
            engine: engine, width: width, height: height, batchID: batch, configuration: configuration, watchInterval: .milliseconds(400))
        if let imageMode, imageMode.isGraphics { session.showImages(imageMode) }
        session.bridge.startRendering()
        _ = await session.settled(timeout: .seconds(30), renders: false)
        session.draw()
        let firstFrame = (ContinuousClock.now - start).seconds * 1000

        // A render runs through every measurement: the first job renders all N shots; whenever a
        // job has ended, a forced job of all N is queued before the next key (its items go
        // through the worker pool and are committed again). Queuing is not timed.
        let render = RenderKeeper(session: session, engine: engine, batchID: batch)
        // Keys are handled on a thread of their own, as the UI loop's thread is in the app.
        let (reviews, renderedThroughout) = await Blocking.run { reviewTimes(session, decisions, render) }
        let (notes, holds) = await Blocking.run { noteAndHoldTimes(session, max(1, decisions / 5), render) }
        let (times, renderSeen) = await Blocking.run { keystrokeTimes(session, keystrokes, render) }
        await session.bridge.stopRendering()
        return Result(
            rows: rows, firstFrameMS: firstFrame, frameP50MS: Percentile.of(times, 0.50), frameP99MS: Percentile.of(times, 0.99),
            frames: times.count, peakRSSMB: PeakMemory.peakMB(), renderRunning: renderSeen,
            reviewP50MS: Percentile.of(reviews, 0.50), reviewP99MS: Percentile.of(reviews, 0.99), decisions: reviews.count,
            renderRunningThroughReviews: renderedThroughout, noteP50MS: Percentile.of(notes, 0.50), noteP99MS: Percentile.of(notes, 0.99),
            holdP50MS: Percentile.of(holds, 0.50), holdP99MS: Percentile.of(holds, 0.99), renderJobs: render.jobs,
            imageMode: session.state.imageMode, graphicsBytes: session.graphicsBytes)
    }

    /// Keeps a render job running behind the measurements.
    final class RenderKeeper: Sendable {
        let session: HeadlessSession
        let engine: Engine
        let batchID: String
        private let started = Atomic<Int>(1)
        /// Jobs run during the measurements.
        var jobs: Int { started.load(ordering: .relaxed) }

        init(session: HeadlessSession, engine: Engine, batchID: String) {
            (self.session, self.engine, self.batchID) = (session, engine, batchID)
        }

        /// Queues and starts a forced job of every shot when none is running.
        func ensureRunning() {
            guard !session.bridge.isRendering else { return }
            _ = try? engine.enqueueRender(batchID: batchID, force: true)
            session.bridge.startRendering()
            started.add(1, ordering: .relaxed)
        }
    }

    /// Sorted milliseconds from an approve key to the frame showing the shot approved, with the
    /// filter `rendered` active (the shots a reviewer can approve while the render goes on);
    /// and whether a render was running at each. The filter is cleared afterwards.
    static func reviewTimes(_ session: HeadlessSession, _ decisions: Int, _ render: RenderKeeper) -> ([Double], Bool) {
        session.press(.character("/"))
        session.type("rendered")
        session.press(.enter)
        // Not `settle`: the render's progress keeps the page reloading, so the session is never
        // idle while it runs. Wait for rows to approve instead.
        func waitForCurrentRow() {
            let deadline = Date().addingTimeInterval(30)
            while session.state.current == nil, Date() < deadline {
                _ = session.inbox.wait(until: deadline)
                for event in session.inbox.drain() { session.send(event) }
            }
        }
        waitForCurrentRow()
        var times: [Double] = []
        var throughout = true
        while times.count < decisions {
            render.ensureRunning()
            for event in session.inbox.drain() { session.send(event) }
            guard let shot = session.state.current, shot.review != .approved else {
                // Past the loaded rows: move on and let the window load.
                session.press(.character("j"))
                waitForCurrentRow()
                if session.state.current == nil { break }
                continue
            }
            throughout = throughout && session.bridge.isRendering
            let began = ContinuousClock.now
            session.press(.character("a"))
            let deadline = Date().addingTimeInterval(10)
            var shown = false
            while !shown, Date() < deadline {
                _ = session.inbox.wait(until: deadline)
                for event in session.inbox.drain() { session.send(event) }
                let row = session.state.page?.rows.first { $0.shot.id == shot.shot.id }
                shown = row?.review == .approved || session.state.messageIsError
            }
            session.draw()
            guard shown, !session.state.messageIsError else { break }
            times.append((ContinuousClock.now - began).seconds * 1000)
        }
        session.press(.character("/"), .control("u"), .enter)
        waitForCurrentRow()
        return (times.sorted(), throughout)
    }

    /// Sorted milliseconds of `count` notes written and `count` status changes (hold, then
    /// release on the next): a note from its Enter to the frame saying it is written, a change
    /// from `H` to the frame showing the row's new status.
    static func noteAndHoldTimes(_ session: HeadlessSession, _ count: Int, _ render: RenderKeeper) -> ([Double], [Double]) {
        func handle(until done: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(10)
            while !done(), Date() < deadline {
                _ = session.inbox.wait(until: deadline)
                for event in session.inbox.drain() { session.send(event) }
            }
            session.draw()
            return done()
        }
        var notes: [Double] = []
        var holds: [Double] = []
        for index in 0..<count {
            render.ensureRunning()
            for event in session.inbox.drain() { session.send(event) }
            guard let shot = session.state.current else { break }
            session.press(.character("n"))
            // Over a picture a pin is offered first: this note goes without one.
            if session.state.pinning != nil { session.press(.character("s")) }
            session.type("bench note \(index)")
            var began = ContinuousClock.now
            session.press(.enter)
            let written = "on \(shot.shot.id) v"
            guard handle(until: { (session.state.message ?? "").hasPrefix("Note #") && (session.state.message ?? "").contains(written) }) else { break }
            notes.append((ContinuousClock.now - began).seconds * 1000)

            let target: ReviewStatus = shot.review == .onHold ? .pending : .onHold
            began = ContinuousClock.now
            session.press(.character("H"))
            guard handle(until: { session.state.page?.rows.first { $0.shot.id == shot.shot.id }?.review == target || session.state.messageIsError }),
                !session.state.messageIsError
            else { break }
            holds.append((ContinuousClock.now - began).seconds * 1000)
            session.press(.character("j"))
        }
        return (notes.sorted(), holds.sorted())
    }

    /// Sorted milliseconds per keystroke, and whether a render was running at each.
    static func keystrokeTimes(_ session: HeadlessSession, _ keystrokes: Int, _ render: RenderKeeper) -> ([Double], Bool) {
        let script: [Key] = [.character("j"), .character("j"), .character("j"), .pageDown, .character("k"), .character("v"), .character("J"),
                             .character("j"), .pageDown, .character("G"), .character("k"), .character("g"), .character("i"), .pageDown]
        var times: [Double] = []
        times.reserveCapacity(keystrokes)
        var renderSeen = true
        for index in 0..<keystrokes {
            render.ensureRunning()
            // What the interpreter posted meanwhile is handled as the UI loop would, between keys.
            for event in session.inbox.drain() { session.send(event) }
            let key = script[index % script.count]
            renderSeen = renderSeen && session.bridge.isRendering
            let began = ContinuousClock.now
            session.press(key)
            session.draw()
            times.append((ContinuousClock.now - began).seconds * 1000)
        }
        return (times.sorted(), renderSeen)
    }
}
