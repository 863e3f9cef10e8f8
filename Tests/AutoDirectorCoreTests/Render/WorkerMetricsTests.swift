import Foundation
import Testing
@testable import AutoDirectorCore

/// Per-box series in the Prometheus text (SPEC §16): a name read from the database cannot break
/// the exposition format.
@Suite struct WorkerMetricsTests {
    @Test func eachBoxIsASeriesAndItsLabelsAreEscaped() {
        var metrics = RenderMetrics(
            rendersExecuted: 0, cacheHits: 0, failures: 0, blocked: 0, retries: 0, renderSecondsP50: nil, renderSecondsP95: nil,
            queueDepth: 0, jobsByState: [:], renderMillisecondsMean: nil)
        #expect(!metrics.prometheusText.contains("worker_"), "no boxes, no series")
        metrics.workers = [
            RenderWorker(
                name: "box \"a\"\\\n\u{1B}[2J", host: "render-1", pid: 7, state: .running, startedAt: TestProject.fixedDate, heartbeatAge: 1.5,
                inFlight: 3, rendersDone: 40, lostLeases: 1)
        ]
        let text = metrics.prometheusText
        let labels = #"{box="box \"a\"\\\n[2J",host="render-1"}"#
        #expect(text.contains("autodirector_worker_in_flight\(labels) 3\n"), "\(text)")
        #expect(text.contains("autodirector_worker_renders_total\(labels) 40\n"))
        #expect(text.contains("autodirector_worker_lost_leases_total\(labels) 1\n"))
        #expect(text.contains("autodirector_worker_heartbeat_age_seconds\(labels) 1.5\n"))
        #expect(!text.contains("\u{1B}"))
    }
}
