import ArgumentParser
import AutoDirectorCore
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks; each prints one JSON object with rows, seconds and per_second.",
        subcommands: [BenchPlanCommand.self])
}

struct BenchPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Ingest and plan a generated N-row CSV in a temporary project, durably, and time each stage.")

    @Option(name: .long, help: "Number of CSV rows.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Preset applied when planning.")
    var preset: String = "brand_neutral_cool"

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
    }

    func run() throws {
        let result = try PlanBenchmark.run(rows: rows, preset: preset)
        var stages = JSONObject()
        for stage in result.stages { stages[stage.name] = .number(rounded(stage.seconds)) }
        Print.console.out(JSONWriter.compact([
            "bench": "plan", "rows": .number(Double(result.rows)), "seconds": .number(rounded(result.seconds)),
            "per_second": .number(result.perSecond.rounded()), "shots_created": .number(Double(result.created)),
            "stages": .object(stages),
        ]))
    }

    private func rounded(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10_000 }
}
