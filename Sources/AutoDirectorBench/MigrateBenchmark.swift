import AutoDirectorCore
import Foundation

/// `bench migrate --rows N --to URL`: a generated N-shot project planned, rendered by the mock
/// and every shot approved, in a temporary directory, then migrated into the given empty
/// PostgreSQL database; the migration alone is timed.
public enum MigrateBenchmark {
    public struct Result: Sendable {
        public var rows: Int
        public var report: MigrationReport
        public var perSecond: Double { report.seconds > 0 ? Double(rows) / report.seconds : 0 }
    }

    public static func run(rows: Int, target: DatabaseURL) async throws -> Result {
        let project = try await Blocking.run { try BenchProject.planned(rows: rows, name: "bench-migrate") }
        defer { project.remove() }
        let engine = project.engine
        _ = try await engine.runPendingJobs(provider: MockProvider(), settings: RenderSettings(concurrency: 8))
        let report = try await Blocking.run {
            _ = try engine.approve(try engine.shots(batchID: project.batchID).map(\.shot.id), reviewer: "bench")
            return try Engine.migrate(projectDirectory: engine.projectDirectory, to: target)
        }
        return Result(rows: rows, report: report)
    }
}
