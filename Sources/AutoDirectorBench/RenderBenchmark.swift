import AutoDirectorCore
import Foundation

/// `bench render --rows N`: a generated N-row batch ingested and planned in a temporary project,
/// then one render job of every shot timed through the same engine calls as `render`.
public enum RenderBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var seconds: Double
        public var progress: RenderProgress?
        public var state: RenderJob.State?
        public var perSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    public static func run(rows: Int, provider: any RenderProvider, settings: RenderSettings) async throws -> Result {
        let project = try await Blocking.run { try BenchProject.planned(rows: rows, name: "bench") }
        defer { project.remove() }
        let engine = project.engine

        let (events, continuation) = AsyncStream<RenderEvent>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let start = ContinuousClock.now
        let results = try await engine.runPendingJobs(provider: provider, settings: settings, events: continuation)
        let elapsed = ContinuousClock.now - start
        continuation.finish()
        var last: RenderProgress?
        for await event in events {
            if case .finished(_, _, let progress) = event { last = progress }
        }
        return Result(rows: rows, seconds: elapsed.seconds, progress: last, state: results.last?.state)
    }
}
