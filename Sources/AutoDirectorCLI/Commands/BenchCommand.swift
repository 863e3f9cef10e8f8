import ArgumentParser
import AutoDirectorCore
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks; each prints one JSON object with rows, seconds and per_second.",
        subcommands: [BenchPlanCommand.self, BenchRenderCommand.self])
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

struct BenchRenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a generated N-row batch in a temporary project (one job, cache cold) and time the job.")

    @Option(name: .long, help: "Number of shots.")
    var rows: Int = 100_000

    @Option(name: .long, help: "Render provider. Available: mock.")
    var provider: String = "mock"

    @Option(name: .long, help: "Renders in flight at once.")
    var concurrency: Int = 8

    func validate() throws {
        if rows < 1 || rows > 10_000_000 { throw ValidationError("--rows must be between 1 and 10000000.") }
        if concurrency < 1 || concurrency > 1024 { throw ValidationError("--concurrency must be between 1 and 1024.") }
        if provider != "mock" { throw ValidationError("Unknown provider \(TextSanitizer.quoted(provider)); available: mock.") }
    }

    func run() async throws {
        let result = try await RenderBenchmark.run(rows: rows, provider: MockProvider(), settings: RenderSettings(concurrency: concurrency))
        let progress = result.progress
        Print.console.out(JSONWriter.compact([
            "bench": "render", "provider": .string(provider), "rows": .number(Double(result.rows)),
            "seconds": .number((result.seconds * 10_000).rounded() / 10_000), "per_second": .number(result.perSecond.rounded()),
            "concurrency": .number(Double(concurrency)), "rendered": .number(Double(progress?.done ?? 0)),
            "cache_hits": .number(Double(progress?.cached ?? 0)), "failed": .number(Double(progress?.failed ?? 0)),
            "provider_calls": .number(Double(progress?.providerCalls ?? 0)), "state": .string(result.state?.rawValue ?? "none"),
        ]))
    }
}
