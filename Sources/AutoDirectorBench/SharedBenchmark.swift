import AutoDirectorCore
import Foundation
import ThrowawayPostgres

/// `bench shared`: the shared mode's numbers (issue 20) against a PostgreSQL server of its own on
/// loopback, durable (fsync on): ingest + plan on both stores in the same run, the TUI at N shots
/// on PostgreSQL, and how soon a decision made on one machine shows in a TUI on another, with
/// LISTEN and with polling alone.
public enum SharedBenchmark {
    public struct Result: Sendable {
        public var sqlitePlan: PlanBenchmark.Result
        public var postgresPlan: PlanBenchmark.Result
        public var tui: TUIBenchmark.Result
        public var listening: FreshnessBenchmark.Result
        public var polling: FreshnessBenchmark.Result
    }

    /// `progress` hears each phase as it starts, for a line on stderr.
    public static func run(
        rows: Int, keystrokes: Int, decisions: Int, freshnessRows: Int, progress: @Sendable (String) -> Void
    ) async throws -> Result {
        progress("Starting a throwaway PostgreSQL (fsync on)…")
        let cluster = try await Blocking.run { try ThrowawayPostgres.start(durable: true) }
        defer { cluster.destroy() }

        progress("ingest + plan \(rows) rows on SQLite…")
        let sqlitePlan = try await Blocking.run { try PlanBenchmark.run(rows: rows) }
        progress("ingest + plan \(rows) rows on PostgreSQL…")
        let planDatabase = try cluster.createDatabase("bench_plan")
        let postgresPlan = try await Blocking.run { try PlanBenchmark.run(rows: rows, database: planDatabase) }

        progress("TUI at \(rows) shots on PostgreSQL…")
        let tui = try await TUIBenchmark.run(rows: rows, keystrokes: keystrokes, database: try cluster.createDatabase("bench_tui"))

        progress("freshness across machines (\(decisions) decisions, LISTEN and poll only)…")
        let freshnessDatabase = try cluster.createDatabase("bench_freshness")
        let project = try await Blocking.run { try BenchProject.planned(rows: freshnessRows, name: "bench-shared", database: freshnessDatabase) }
        defer { project.remove() }
        let listening = try await FreshnessBenchmark.run(project: project, viewerDatabase: freshnessDatabase, decisions: decisions)
        var pollOnly = freshnessDatabase
        pollOnly.listens = false
        let polling = try await FreshnessBenchmark.run(project: project, viewerDatabase: pollOnly, decisions: decisions)
        return Result(sqlitePlan: sqlitePlan, postgresPlan: postgresPlan, tui: tui, listening: listening, polling: polling)
    }
}
