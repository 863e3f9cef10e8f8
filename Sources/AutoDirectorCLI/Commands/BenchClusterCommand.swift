import ArgumentParser
import AutoDirectorBench
import AutoDirectorCore
import Foundation

/// `bench cluster` (see `ClusterBenchmark`): its phases on stderr, its numbers as one JSON object.
struct BenchClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Render boxes as separate worker processes on a throwaway PostgreSQL and the fake Bria API: throughput at 1, 2 and 3 boxes, claim latency, rescue after kill -9, wake-up with LISTEN and polling.")

    @Option(name: .long, help: "Renders in flight on each box.")
    var concurrency: Int = 16

    @Option(name: .customLong("latency-ms"), help: "How long the fake Bria takes to answer each submit, in milliseconds.")
    var latencyMS: Int = 200

    @Option(name: .customLong("items-per-box"), help: "Items per box in each throughput run.")
    var itemsPerBox: Int = 480

    @Option(name: .long, help: "Largest number of boxes; throughput is measured at 1 up to it.")
    var boxes: Int = 3

    @Option(name: .customLong("lease-seconds"), help: "The boxes' lease (AUTODIRECTOR_LEASE_SECONDS) in the rescue run.")
    var leaseSeconds: Double = 5

    @Option(name: .customLong("reaper-seconds"), help: "The boxes' reaper interval (AUTODIRECTOR_REAPER_SECONDS).")
    var reaperSeconds: Double = 1

    @Option(name: .long, help: "Jobs queued to an idle box for the wake-up measurement, in each mode.")
    var wakeups: Int = 12

    func validate() throws {
        if concurrency < 1 || concurrency > 256 { throw ValidationError("--concurrency must be between 1 and 256.") }
        if latencyMS < 0 || latencyMS > 10_000 { throw ValidationError("--latency-ms must be between 0 and 10000.") }
        if itemsPerBox < 10 || itemsPerBox > 100_000 { throw ValidationError("--items-per-box must be between 10 and 100000.") }
        if boxes < 3 || boxes > 16 { throw ValidationError("--boxes must be between 3 and 16 (the rescue run kills one of three).") }
        if !(leaseSeconds >= 1 && leaseSeconds <= 600) { throw ValidationError("--lease-seconds must be between 1 and 600.") }
        if !(reaperSeconds >= 0.1 && reaperSeconds <= 600) { throw ValidationError("--reaper-seconds must be between 0.1 and 600.") }
        if wakeups < 1 || wakeups > 1000 { throw ValidationError("--wakeups must be between 1 and 1000.") }
    }

    func run() async throws {
        let console = Print.console
        let executable = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        var options = ClusterBenchmark.Options(executable: executable)
        options.boxCounts = Array(1...boxes)
        options.concurrency = concurrency
        options.latency = .milliseconds(latencyMS)
        options.itemsPerBox = itemsPerBox
        options.leaseSeconds = leaseSeconds
        options.reaperSeconds = reaperSeconds
        options.wakeups = wakeups
        let result = try await ClusterBenchmark.run(options, progress: { console.error($0) })
        func rounded(_ value: Double, _ places: Double = 1000) -> JSONValue { .number((value * places).rounded() / places) }
        func latencies(_ value: ClusterBenchmark.Latencies) -> JSONValue {
            ["samples": .number(Double(value.samples)), "p50_ms": rounded(value.p50MS), "p99_ms": rounded(value.p99MS), "max_ms": rounded(value.maxMS)]
        }
        let single = result.throughput.first?.perSecond ?? 1
        let runs: [JSONValue] = result.throughput.map { run in
            [
                "boxes": .number(Double(run.boxes)), "items": .number(Double(run.items)), "seconds": rounded(run.seconds),
                "per_second": rounded(run.perSecond, 10), "speedup": rounded(run.perSecond / single, 100),
            ]
        }
        console.out(JSONWriter.compact([
            "bench": "cluster", "concurrency_per_box": .number(Double(concurrency)), "submit_latency_ms": .number(Double(latencyMS)),
            "postgres_fsync": true, "throughput": .array(runs),
            "claim_statement": latencies(result.claims),
            "rescue": [
                "lease_seconds": rounded(leaseSeconds), "reaper_seconds": rounded(reaperSeconds),
                "items_held": .number(Double(result.rescue.items)), "parked": .number(Double(result.rescue.parked)),
                "seconds": rounded(result.rescue.seconds),
            ],
            "wake_up_listen": latencies(result.wakeListen), "wake_up_poll": latencies(result.wakePoll),
            "duplicate_paid_submits": .number(Double(result.duplicatePaidSubmits)),
        ]))
    }
}
