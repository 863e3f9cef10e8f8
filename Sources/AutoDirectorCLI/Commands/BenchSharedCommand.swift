import ArgumentParser
import AutoDirectorBench
import AutoDirectorCore

/// `bench shared` (see `SharedBenchmark`): its phases on stderr, its numbers as one JSON object.
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
        let result = try await SharedBenchmark.run(
            rows: rows, keystrokes: keystrokes, decisions: decisions, freshnessRows: freshnessRows, progress: { console.error($0) })
        let (sqlitePlan, postgresPlan, tui) = (result.sqlitePlan, result.postgresPlan, result.tui)
        func ms(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        func seconds(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
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
            "freshness_listen": freshness(result.listening), "freshness_poll_only": freshness(result.polling),
        ]))
    }
}
