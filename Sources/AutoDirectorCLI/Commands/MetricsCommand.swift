import ArgumentParser
import AutoDirectorCore

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Render metrics: renders, cache hits, failures, retries, render time p50/p95, queue depth.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, prometheus
    }

    @OptionGroup var project: ProjectOptions

    @Option(name: .long, help: "Output format: json or prometheus (text exposition format).")
    var format: Format = .json

    func run() throws {
        let m = try project.engine().metrics()
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
            ])
        case .prometheus:
            var lines: [String] = []
            func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
                lines.append("# HELP autodirector_\(name) \(help)")
                lines.append("# TYPE autodirector_\(name) \(type)")
                for sample in samples { lines.append("autodirector_\(name)\(sample.labels) \(CanonicalJSON.formatNumber(sample.value))") }
            }
            metric("renders_total", "counter", "Renders executed by a provider.", [("", Double(m.rendersExecuted))])
            metric("cache_hits_total", "counter", "Items served from the artifact cache.", [("", Double(m.cacheHits))])
            metric("render_failures_total", "counter", "Items that failed or were blocked.", [("", Double(m.failures))])
            metric("render_retries_total", "counter", "Render attempts beyond the first.", [("", Double(m.retries))])
            var quantiles: [(String, Double)] = []
            if let p50 = m.renderSecondsP50 { quantiles.append(("{quantile=\"0.5\"}", p50)) }
            if let p95 = m.renderSecondsP95 { quantiles.append(("{quantile=\"0.95\"}", p95)) }
            metric("render_seconds", "summary", "Render time of rendered items.", quantiles)
            metric("queue_depth", "gauge", "Items waiting or in flight in unfinished jobs.", [("", Double(m.queueDepth))])
            metric("jobs", "gauge", "Render jobs by state.", [RenderJob.State.queued, .running, .done, .failed, .cancelled].map {
                ("{state=\"\($0.rawValue)\"}", Double(m.jobsByState[$0] ?? 0))
            })
            Print.line(lines.joined(separator: "\n"))
        }
    }
}
