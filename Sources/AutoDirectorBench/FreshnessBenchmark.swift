import AutoDirectorCore
import AutoDirectorTUI
import Foundation

/// `bench shared`'s freshness: a decision made on one machine (an engine of its own on the
/// shared database), timed until a terminal UI on another machine (its own engine, project
/// directory and change watcher, polling as the terminal UI does) shows it, with no key pressed.
public enum FreshnessBenchmark {
    public struct Result: Sendable {
        public var samples: Int
        public var p50MS: Double
        public var p99MS: Double
        public var maxMS: Double
    }

    /// `project`: a planned shared project; its first shots are rendered here so they can be
    /// decided. `viewerDatabase`: the URL the viewing machine opens (with `listens` off for the
    /// poll-only figure).
    public static func run(project: BenchProject, viewerDatabase: DatabaseURL, decisions: Int = 60) async throws -> Result {
        let deciding = project.engine
        let shots = try await Blocking.run { () throws -> [String] in
            let ids = Array(try deciding.shotIDs(matching: ShotQuery(batchID: project.batchID)).prefix(8))
            _ = try deciding.enqueueRender(shots: ids, force: false)
            return ids
        }
        _ = try await deciding.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 4))

        let viewerDirectory = project.directory.appendingPathComponent("viewer-\(viewerDatabase.listens ? "listen" : "poll")")
        let viewer = try await Blocking.run {
            try Engine(projectDirectory: viewerDirectory, database: viewerDatabase, mode: .existing)
        }
        let configuration = EffectInterpreter.Configuration(
            reviewer: "viewer", exportDirectory: viewerDirectory.appendingPathComponent("exports"), settings: RenderSettings(concurrency: 1),
            makeProvider: { MockProvider() })
        // The terminal UI's own watch interval (TUIApp).
        let session = HeadlessSession(
            engine: viewer, width: 160, height: 48, batchID: project.batchID, configuration: configuration, watchInterval: .milliseconds(400))
        defer { session.bridge.stopWatching() }
        _ = await session.settled(timeout: .seconds(60), renders: false)
        let times = await Blocking.run { () -> [Double] in
            var times: [Double] = []
            for index in 0..<decisions {
                let shot = shots[index % shots.count]
                let shown = session.state.page?.rows.first { $0.shot.id == shot }?.review
                let next: ReviewStatus = shown == .approved ? .rejected : .approved
                // Decisions come at random moments of the viewer's poll cycle, as people's do.
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.45))
                let began = ContinuousClock.now
                do {
                    if next == .approved {
                        _ = try deciding.approve([shot], reviewer: "other-machine")
                    } else {
                        _ = try deciding.reject([shot], note: "seen elsewhere", reviewer: "other-machine")
                    }
                } catch {
                    break
                }
                let deadline = Date().addingTimeInterval(10)
                var seen = false
                while !seen, Date() < deadline {
                    _ = session.inbox.wait(until: deadline)
                    for event in session.inbox.drain() { session.send(event) }
                    seen = session.state.page?.rows.first { $0.shot.id == shot }?.review == next
                }
                guard seen else { break }
                session.draw()
                times.append((ContinuousClock.now - began).seconds * 1000)
            }
            return times.sorted()
        }
        return Result(samples: times.count, p50MS: Percentile.of(times, 0.50), p99MS: Percentile.of(times, 0.99), maxMS: times.last ?? 0)
    }
}
