extension RenderMetrics {
    /// The metrics in Prometheus's text exposition format (0.0.4), as `metrics --format
    /// prometheus` prints them and `GET /metrics?format=prometheus` serves them.
    public var prometheusText: String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            lines.append("# HELP autodirector_\(name) \(help)")
            lines.append("# TYPE autodirector_\(name) \(type)")
            for sample in samples { lines.append("autodirector_\(name)\(sample.labels) \(CanonicalJSON.formatNumber(sample.value))") }
        }
        metric("renders_total", "counter", "Renders executed by a provider.", [("", Double(rendersExecuted))])
        metric("cache_hits_total", "counter", "Items served from the artifact cache.", [("", Double(cacheHits))])
        metric("render_failures_total", "counter", "Items that failed or were blocked.", [("", Double(failures))])
        metric("render_retries_total", "counter", "Render attempts beyond the first.", [("", Double(retries))])
        var quantiles: [(String, Double)] = []
        if let p50 = renderSecondsP50 { quantiles.append(("{quantile=\"0.5\"}", p50)) }
        if let p95 = renderSecondsP95 { quantiles.append(("{quantile=\"0.95\"}", p95)) }
        metric("render_seconds", "summary", "Render time of rendered items.", quantiles)
        metric("queue_depth", "gauge", "Items waiting or in flight in unfinished jobs.", [("", Double(queueDepth))])
        metric("jobs", "gauge", "Render jobs by state.", [RenderJob.State.queued, .running, .done, .failed, .cancelled].map {
            ("{state=\"\($0.rawValue)\"}", Double(jobsByState[$0] ?? 0))
        })
        return lines.joined(separator: "\n") + "\n"
    }
}
