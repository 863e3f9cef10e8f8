import AutoDirectorCore
import FakeBriaServer
import Foundation
import Synchronization
import ThrowawayPostgres

/// `bench cluster` (SPEC §16, issue 22): render boxes as separate `worker` processes on one
/// PostgreSQL on loopback (fsync on), rendering through the fake Bria API with `latency` per
/// submit. Measures throughput at each number of boxes, the claim statement's latency as the
/// database itself logs it, how long a box killed with -9 keeps its items from the others,
/// and how soon an idle box starts on a job queued elsewhere, with LISTEN and with polling.
public enum ClusterBenchmark {
    public struct Options: Sendable {
        /// This program: the boxes are its `worker` subcommand.
        public var executable: URL
        public var boxCounts = [1, 2, 3]
        public var concurrency = 16
        public var latency = Duration.milliseconds(200)
        /// Items per box in each throughput run (each runs about as long whatever the boxes).
        public var itemsPerBox = 480
        public var leaseSeconds = 5.0
        public var reaperSeconds = 1.0
        /// Jobs queued one at a time for the wake-up measurement, in each mode.
        public var wakeups = 12

        public init(executable: URL) { self.executable = executable }
    }

    public struct Throughput: Sendable {
        public var boxes: Int
        public var items: Int
        public var seconds: Double
        /// Structured prompts the fake Bria was paid for more than once in this run (must be 0).
        public var duplicatePaidSubmits: Int
        public var perSecond: Double { Double(items) / seconds }
    }

    public struct Latencies: Sendable {
        public var samples: Int
        public var p50MS: Double
        public var p99MS: Double
        public var maxMS: Double

        init(_ milliseconds: [Double]) {
            let sorted = milliseconds.sorted()
            samples = sorted.count
            p50MS = Percentile.of(sorted, 0.50)
            p99MS = Percentile.of(sorted, 0.99)
            maxMS = sorted.last ?? 0
        }
    }

    public struct Rescue: Sendable {
        /// Items the killed box held.
        public var items: Int
        /// From the kill until every one of them was finished or held by another box.
        public var seconds: Double
        /// Of them, parked: their submit was on the wire when the box died.
        public var parked: Int
        /// Structured prompts the fake Bria was paid for more than once in this run (must be 0).
        public var duplicatePaidSubmits: Int
    }

    public struct Result: Sendable {
        public var throughput: [Throughput]
        public var claims: Latencies
        public var rescue: Rescue
        public var wakeListen: Latencies
        public var wakePoll: Latencies
        /// Over the throughput and rescue runs (must be 0).
        public var duplicatePaidSubmits: Int { throughput.map(\.duplicatePaidSubmits).reduce(rescue.duplicatePaidSubmits, +) }
    }

    static let token = "bench-cluster-token"

    public static func run(_ options: Options, progress: @Sendable (String) -> Void) async throws -> Result {
        progress("Starting a throwaway PostgreSQL (fsync on) and the fake Bria API (\(options.latency) per submit)…")
        let cluster = try await Blocking.run { try ThrowawayPostgres.start(durable: true) }
        defer { cluster.destroy() }
        let bria = try await FakeBriaServer.start(token: token, options: .init(latency: options.latency))
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("autodirector-bench-cluster-\(getpid())")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let run = Run(options: options, cluster: cluster, bria: bria, logs: logs)
        do {
            var throughput: [Throughput] = []
            for boxes in options.boxCounts {
                progress("throughput: \(boxes) box(es) × \(options.concurrency) in flight, \(boxes * options.itemsPerBox) items…")
                throughput.append(try await run.throughput(boxes: boxes))
            }
            progress("claim latency and rescue: 3 boxes, one killed with -9 (lease \(options.leaseSeconds) s, reaper \(options.reaperSeconds) s)…")
            let (claims, rescue) = try await run.rescue()
            progress("wake-up: \(options.wakeups) jobs queued to an idle box, with LISTEN…")
            let wakeListen = try await run.wakeUps(listens: true)
            progress("wake-up: \(options.wakeups) jobs queued to an idle box, polling only…")
            let wakePoll = try await run.wakeUps(listens: false)
            await bria.shutdown()
            return Result(
                throughput: throughput, claims: claims, rescue: rescue, wakeListen: wakeListen, wakePoll: wakePoll)
        } catch {
            await bria.shutdown()
            throw error
        }
    }

    /// One benchmark run's fixtures.
    private struct Run: Sendable {
        let options: Options
        let cluster: ThrowawayPostgres
        let bria: FakeBriaServer
        let logs: URL

        private static let nextDatabase = Counter()

        /// A planned batch in a database of its own, not queued yet.
        func project(rows: Int) async throws -> BenchProject {
            let database = try await Blocking.run { try cluster.createDatabase("bench_cluster_\(Run.nextDatabase.next())") }
            return try await Blocking.run { try BenchProject.planned(rows: rows, name: "bench-cluster", database: database, enqueue: false) }
        }

        /// `count` boxes on `project`, registered and idle when this returns.
        func boxes(_ count: Int, on project: BenchProject, listens: Bool = true, prefix: String = "box") async throws -> [ClusterBox] {
            guard let database = project.database else { throw BenchError("internal: the cluster benchmark needs a shared project") }
            var url = cluster.urlText(database: database.database)
            if !listens { url += "&listen=off" }
            let environment = [
                "AUTODIRECTOR_PROJECT": project.directory.appendingPathComponent("project").path, "AUTODIRECTOR_DATABASE_URL": url,
                "FIBO_PROVIDER": "bria", "BRIA_API_TOKEN": ClusterBenchmark.token, "FIBO_API_BASE": bria.baseURL,
                "FIBO_POLL_SECONDS": "0", "FIBO_RATE_LIMIT_RPM": "1000000",
                "AUTODIRECTOR_LEASE_SECONDS": String(options.leaseSeconds), "AUTODIRECTOR_REAPER_SECONDS": String(options.reaperSeconds),
            ]
            let boxes = try (0..<count).map { index in
                try ClusterBox(
                    executable: options.executable, name: "\(prefix)-\(index + 1)", concurrency: options.concurrency,
                    environment: environment, logDirectory: logs)
            }
            let names = Set(boxes.map(\.name))
            try await until("every box has registered", boxes: boxes) {
                Set(try project.engine.workers().filter { $0.state == .running }.map(\.name)).isSuperset(of: names)
            }
            return boxes
        }

        func throughput(boxes count: Int) async throws -> Throughput {
            let items = count * options.itemsPerBox
            let project = try await project(rows: items)
            defer { project.remove() }
            let boxes = try await boxes(count, on: project)
            defer { stop(boxes) }
            let paid = bria.paidSubmits
            let start = ContinuousClock.now
            guard let job = try await Blocking.run({ try project.engine.enqueueRender(batchID: project.batchID) }) else {
                throw BenchError("internal: nothing to render")
            }
            try await until("the job has ended", boxes: boxes) { try project.engine.job(job).state.isFinished }
            let seconds = (ContinuousClock.now - start).seconds
            let counts = try project.engine.job(job).counts
            guard counts[.done] == items else { throw BenchError("the job ended with \(counts), not \(items) rendered") }
            return Throughput(boxes: count, items: items, seconds: seconds, duplicatePaidSubmits: duplicates(since: paid))
        }

        /// Three boxes with statement logging on; one is killed with -9 a third of the way
        /// through. The claim statements' durations come from PostgreSQL's log.
        func rescue() async throws -> (Latencies, Rescue) {
            try await Blocking.run {
                cluster.stopServer()
                try? FileManager.default.removeItem(at: cluster.logFile)
                try cluster.startServer(durable: true, settings: ["log_min_duration_statement": "0"])
            }
            let items = 3 * options.itemsPerBox
            let project = try await project(rows: items)
            defer { project.remove() }
            let boxes = try await boxes(3, on: project)
            defer { stop(boxes) }
            let paid = bria.paidSubmits
            guard let job = try await Blocking.run({ try project.engine.enqueueRender(batchID: project.batchID) }) else {
                throw BenchError("internal: nothing to render")
            }
            try await until("a third of the job is rendered", boxes: boxes) {
                (try project.engine.job(job).counts[.done] ?? 0) >= items / 3
            }
            let victim = boxes[2]
            let held = try await Blocking.run { () -> [String] in
                let held = try project.engine.jobItems(job, states: [.running]).filter { $0.box == victim.name }.map(\.shotID)
                victim.kill9()
                return held
            }
            let killed = ContinuousClock.now
            let survivors = Array(boxes.prefix(2))
            try await until("the killed box's items are rendered or held by the others", boxes: survivors, every: .milliseconds(10)) {
                try project.engine.jobItems(job).filter { held.contains($0.shotID) }.allSatisfy { $0.state.isFinal || $0.box != victim.name }
            }
            let rescued = (ContinuousClock.now - killed).seconds
            try await until("the job has ended", boxes: survivors) { try project.engine.job(job).state.isFinished }
            let parked = try project.engine.jobItems(job, states: [.failed]).filter { held.contains($0.shotID) }.count
            stop(survivors)
            let log = try await Blocking.run {
                cluster.stopServer()
                defer { try? cluster.startServer(durable: true) }
                return try String(contentsOf: cluster.logFile, encoding: .utf8)
            }
            let claims = ClaimLog.durations(log)
            guard !claims.isEmpty else { throw BenchError("PostgreSQL's log holds no claim statement") }
            return (Latencies(claims), Rescue(items: held.count, seconds: rescued, parked: parked, duplicatePaidSubmits: duplicates(since: paid)))
        }

        /// One idle box; jobs of one shot queued one at a time by this process, each at a
        /// moment unrelated to the box's poll; the time until the box claimed it.
        func wakeUps(listens: Bool) async throws -> Latencies {
            let project = try await project(rows: options.wakeups)
            defer { project.remove() }
            let boxes = try await boxes(1, on: project, listens: listens, prefix: listens ? "listening" : "polling")
            defer { stop(boxes) }
            let shots = try project.engine.shots(batchID: project.batchID).map(\.shot.id)
            var latencies: [Double] = []
            for shot in shots {
                try await Task.sleep(for: .milliseconds(Int.random(in: 150...450)))
                guard let job = try await Blocking.run({ try project.engine.enqueueRender(shots: [shot]) }) else {
                    throw BenchError("internal: nothing to render for \(shot)")
                }
                let queued = ContinuousClock.now
                try await until("the box has claimed \(shot)", boxes: boxes, every: .milliseconds(2)) {
                    try project.engine.jobItems(job).allSatisfy { $0.state != .queued }
                }
                latencies.append((ContinuousClock.now - queued).seconds * 1000)
                try await until("\(shot) is rendered", boxes: boxes) { try project.engine.job(job).state.isFinished }
            }
            return Latencies(latencies)
        }

        /// Structured prompts paid for more than once since `before` (the runs' batches are
        /// alike, so each run counts its own).
        private func duplicates(since before: [String: Int]) -> Int {
            bria.paidSubmits.reduce(0) { $0 + max(0, $1.value - (before[$1.key] ?? 0) - 1) }
        }

        private func stop(_ boxes: [ClusterBox]) {
            for box in boxes { box.stop() }
        }

        /// Waits for `condition` (read every `every`, at most 120 s); fails at once when a box died unasked.
        private func until(
            _ what: String, boxes: [ClusterBox], every interval: Duration = .milliseconds(20),
            _ condition: @escaping @Sendable () throws -> Bool
        ) async throws {
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                if try await Blocking.run(condition) { return }
                if let dead = boxes.first(where: { !$0.isRunning }) {
                    throw BenchError("render box \(dead.name) exited while waiting until \(what):\n\(dead.lastOutput)")
                }
                try await Task.sleep(for: interval)
            }
            throw BenchError("timed out waiting until \(what)")
        }
    }
}

/// Numbers for the benchmark's databases.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}
