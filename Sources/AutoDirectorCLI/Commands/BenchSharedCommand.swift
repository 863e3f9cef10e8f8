import ArgumentParser
import AutoDirectorCore
import AutoDirectorTUI
import Foundation
import ThrowawayPostgres

/// `bench shared`: the shared mode's numbers (issue 20) against a PostgreSQL server of its own on
/// loopback, durable (fsync on): ingest + plan on both stores in the same run, the TUI at N shots
/// on PostgreSQL, and how soon a decision made on one machine shows in a TUI on another, with
/// LISTEN and with polling alone.
struct BenchSharedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shared",
        abstract: "Start a throwaway PostgreSQL (fsync on) and time ingest + plan on SQLite and PostgreSQL, the TUI on PostgreSQL, and cross-machine freshness.")

    @Option(name: .long, help: "Number of rows (plan and TUI).")
    var rows: Int = 100_000

    @Option(name: .long, help: "Keystrokes to time in the TUI.")
    var keystrokes: Int = 2000

    @Option(name: .long, help: "Decisions timed for freshness, in each mode.")
    var decisions: Int = 60

    @Option(name: .customLong("freshness-rows"), help: "Shots in the freshness project.")
    var freshnessRows: Int = 10_000

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
        if keystrokes < 1 || keystrokes > 1_000_000 { throw ValidationError("--keystrokes must be between 1 and 1000000.") }
        if decisions < 1 || decisions > 10_000 { throw ValidationError("--decisions must be between 1 and 10000.") }
        if freshnessRows < 8 || freshnessRows > 1_000_000 { throw ValidationError("--freshness-rows must be between 8 and 1000000.") }
    }

    func run() async throws {
        let console = Print.console
        console.error("Starting a throwaway PostgreSQL (fsync on)…")
        let cluster = try await Blocking.run { try ThrowawayPostgres.start(durable: true) }
        defer { cluster.destroy() }
        func ms(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        func seconds(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }

        console.error("ingest + plan \(rows) rows on SQLite…")
        let sqlitePlan = try await Blocking.run { try PlanBenchmark.run(rows: rows) }
        console.error("ingest + plan \(rows) rows on PostgreSQL…")
        let planDatabase = try cluster.createDatabase("bench_plan")
        let postgresPlan = try await Blocking.run { try PlanBenchmark.run(rows: rows, database: planDatabase) }

        console.error("TUI at \(rows) shots on PostgreSQL…")
        let tui = try await TUIBenchmark.run(rows: rows, keystrokes: keystrokes, database: try cluster.createDatabase("bench_tui"))

        console.error("freshness across machines (\(decisions) decisions, LISTEN and poll only)…")
        let freshnessDatabase = try cluster.createDatabase("bench_freshness")
        let project = try await Blocking.run { try BenchProject.planned(rows: freshnessRows, name: "bench-shared", database: freshnessDatabase) }
        defer { project.remove() }
        let listening = try await FreshnessBenchmark.run(project: project, viewerDatabase: freshnessDatabase, decisions: decisions)
        var pollOnly = freshnessDatabase
        pollOnly.listens = false
        let polling = try await FreshnessBenchmark.run(project: project, viewerDatabase: pollOnly, decisions: decisions)

        var stages = JSONObject()
        for stage in postgresPlan.stages { stages[stage.name] = seconds(stage.seconds) }
        func freshness(_ result: FreshnessBenchmark.Result) -> JSONValue {
            ["samples": .number(Double(result.samples)), "p50_ms": ms(result.p50MS), "p99_ms": ms(result.p99MS), "max_ms": ms(result.maxMS)]
        }
        console.out(JSONWriter.compact([
            "bench": "shared", "rows": .number(Double(rows)), "postgres_fsync": true,
            "plan_seconds_sqlite": seconds(sqlitePlan.seconds), "plan_seconds_postgres": seconds(postgresPlan.seconds),
            "plan_stages_postgres": .object(stages),
            "tui_first_frame_ms": ms(tui.firstFrameMS), "tui_keystroke_p50_ms": ms(tui.frameP50MS), "tui_keystroke_p99_ms": ms(tui.frameP99MS),
            "tui_review_p50_ms": ms(tui.reviewP50MS), "tui_review_p99_ms": ms(tui.reviewP99MS), "tui_decisions": .number(Double(tui.decisions)),
            "tui_render_running": .bool(tui.renderRunning && tui.renderRunningThroughReviews),
            "freshness_rows": .number(Double(freshnessRows)),
            "freshness_listen": freshness(listening), "freshness_poll_only": freshness(polling),
        ]))
    }
}
