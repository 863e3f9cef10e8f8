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
        if let billedCalls { metric("billed_calls_total", "counter", "Renders the provider billed (rendered or accepted by it).", [("", Double(billedCalls))]) }
        if let spend { metric("spend_total", "counter", "What the billed renders cost at FIBO_PRICE_PER_IMAGE.", [("", spend)]) }
        if !workers.isEmpty {
            // One series per render box of a shared project, labelled by its name and host.
            func per(_ value: (RenderWorker) -> Double) -> [(labels: String, value: Double)] {
                workers.map { ("{box=\"\(Self.labelValue($0.name))\",host=\"\(Self.labelValue($0.host))\"}", value($0)) }
            }
            metric("worker_heartbeat_age_seconds", "gauge", "Seconds since the render box's last heartbeat.", per { $0.heartbeatAge })
            metric("worker_in_flight", "gauge", "Items the render box holds a live lease on.", per { Double($0.inFlight) })
            metric("worker_renders_total", "counter", "Renders the render box has committed.", per { Double($0.rendersDone) })
            metric("worker_lost_leases_total", "counter", "Items the render box lost to another after stalling past its lease.",
                   per { Double($0.lostLeases) })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value as the exposition format quotes it: backslash, quote and newline escaped;
    /// other control characters (a name read from the database) dropped.
    static func labelValue(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: if !scalar.properties.generalCategory.isControlLike { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlLike: Bool { [.control, .format, .lineSeparator, .paragraphSeparator].contains(self) }
}
