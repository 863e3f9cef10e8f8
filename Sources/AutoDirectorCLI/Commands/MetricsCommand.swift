import ArgumentParser
import AutoDirectorCore

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Render metrics: renders, cache hits, failures, retries, render time p50/p95, queue depth, billed calls and spend.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, prometheus
    }

    @OptionGroup var project: ProjectOptions
    @OptionGroup var render: RenderOptions

    @Option(name: .long, help: "Output format: json or prometheus (text exposition format).")
    var format: Format = .json

    @Flag(name: .long, help: "Print JSON (as every read command takes it; the same as --format json).")
    var json = false

    func validate() throws {
        if json && format != .json { throw ValidationError("--json and --format prometheus ask for two formats; give one.") }
    }

    func run() throws {
        let engine = try project.engine()
        var m = try engine.metrics()
        let spend = try engine.spend(since: nil, prices: try render.prices())
        (m.billedCalls, m.spend) = (spend.calls, spend.amount)
        switch format {
        case .json:
            var jobs = JSONObject()
            for state in [RenderJob.State.queued, .running, .done, .failed, .cancelled] {
                jobs[state.rawValue] = .number(Double(m.jobsByState[state] ?? 0))
            }
            Print.json([
                "renders_executed": .number(Double(m.rendersExecuted)), "cache_hits": .number(Double(m.cacheHits)),
                "failures": .number(Double(m.failures)), "blocked": .number(Double(m.blocked)), "retries": .number(Double(m.retries)),
                "render_seconds_p50": m.renderSecondsP50.map(JSONValue.number) ?? .null,
                "render_seconds_p95": m.renderSecondsP95.map(JSONValue.number) ?? .null,
                "queue_depth": .number(Double(m.queueDepth)), "jobs": .object(jobs),
                "billed_calls": .number(Double(spend.calls)), "spend": spend.amount.map(JSONValue.number) ?? .null,
            ])
        case .prometheus:
            Print.line(String(m.prometheusText.dropLast()))
        }
    }
}
